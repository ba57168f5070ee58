package dev.jclaw.session;

import java.nio.file.Path;

/** Another gateway (or import) is running on this state dir. */
public final class StateLockedException extends RuntimeException {
    private final Path stateDir;
    private final String holder;

    StateLockedException(Path stateDir, String holder) {
        super("state dir " + stateDir + " is in use by another JClaw process"
                + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; stop it first, or give this one its own state dir with JCLAW_STATE_DIR");
        this.stateDir = stateDir;
        this.holder = holder;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** What the holder wrote in the lock file: pid, host, start time, purpose; empty if unknown. */
    public String holder() {
        return holder;
    }
}
