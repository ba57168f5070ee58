package dev.jclaw.config;

/** How an agent presents itself ({@code identity{name, emoji}}); either part may be null. */
public record Identity(String name, String emoji) {
    public static final Identity NONE = new Identity(null, null);
}
