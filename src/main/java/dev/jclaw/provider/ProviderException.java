package dev.jclaw.provider;

import java.util.List;

/**
 * No model answered. The message is meant for the user: for {@link Kind#NOT_CONFIGURED} it names the
 * config keys or environment variables that would fix it; for {@link Kind#ALL_FAILED} it lists each
 * attempt and why it failed.
 */
public final class ProviderException extends RuntimeException {
    public enum Kind {
        /** No provider or no model is configured for the agent. */
        NOT_CONFIGURED,
        /** Every attempt (retries, then fallbacks) failed. */
        ALL_FAILED,
        /** The turn did not finish within its timeout. */
        TIMEOUT,
        /** The caller's thread was interrupted (the run was aborted). */
        ABORTED
    }

    private final Kind kind;
    private final List<ChatResult.Attempt> attempts;

    public ProviderException(Kind kind, String message, List<ChatResult.Attempt> attempts) {
        super(message);
        this.kind = kind;
        this.attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public Kind kind() {
        return kind;
    }

    public List<ChatResult.Attempt> attempts() {
        return attempts;
    }
}
