package dev.jclaw.provider;

/** Receives a turn as it streams. Called on the provider's thread; must not block. */
public interface ChatListener {
    ChatListener NONE = new ChatListener() { };

    /** A piece of assistant text, in order. Text of an attempt that later fails is not retracted. */
    default void onTextDelta(String delta) { }

    /** A new attempt starts (a retry or the next fallback). */
    default void onAttempt(String provider, String model) { }
}
