package dev.jclaw.config;

import java.util.Objects;

/**
 * A model as {@code provider/model}. The provider is the text before the first slash, so
 * {@code openrouter/anthropic/claude-sonnet-4-6} is model {@code anthropic/claude-sonnet-4-6} of
 * provider {@code openrouter}.
 */
public record ModelRef(String provider, String model) {
    public ModelRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    /** Parses {@code provider/model}; returns null when there is no slash or either side is empty. */
    public static ModelRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) return null;
        return new ModelRef(text.substring(0, slash).trim(), text.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
