package dev.jclaw.process;

import java.time.Duration;

/**
 * The bounded stop sequence: close stdin, wait {@code stdinGrace}; SIGTERM the group, wait
 * {@code termGrace}; SIGKILL the group, wait at most {@code killWait}. A stop never takes longer
 * than {@link #bound()}, whatever the child does.
 */
public record StopPolicy(Duration stdinGrace, Duration termGrace, Duration killWait) {
    /** The MCP spec's and the Python SDK's sequence: 2 s after stdin close, 2 s after TERM. */
    public static final StopPolicy DEFAULT = new StopPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));

    public StopPolicy {
        requireNonNegative(stdinGrace, "stdinGrace");
        requireNonNegative(termGrace, "termGrace");
        requireNonNegative(killWait, "killWait");
    }

    /** The longest a stop may take, with a margin for the escaper sweep and reaping. */
    public Duration bound() {
        return stdinGrace.plus(termGrace).plus(killWait).plusSeconds(1);
    }

    private static void requireNonNegative(Duration d, String name) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException(name + " must be a non-negative duration, got " + d);
    }
}
