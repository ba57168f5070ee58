package dev.jclaw.session;

import java.nio.file.Path;

/** Another gateway (or import) is running on this state dir; the message names it and what to do. */
public final class StateLockedException extends RuntimeException {
    StateLockedException(Path stateDir, String holder) {
        super("state dir " + stateDir + " is in use by another JClaw process"
                + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; stop it first, or give this one its own state dir with JCLAW_STATE_DIR");
    }
}
