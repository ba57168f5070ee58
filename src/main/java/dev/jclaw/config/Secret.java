package dev.jclaw.config;

import java.util.Objects;

/**
 * A config value that must not be printed: API keys, tokens, passwords, header and env values.
 * {@link #toString()} and {@code jclaw config show} print {@code <redacted>}; only {@link #reveal()}
 * gives the value, so a secret reaches a log only when code asks for it by name.
 */
public final class Secret {
    static final String REDACTED = "<redacted>";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The plain value, for the one place that needs it (an HTTP header, a child's environment). */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
