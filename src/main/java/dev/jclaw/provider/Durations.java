package dev.jclaw.provider;

import java.time.Duration;

/** Durations as people read them in messages: {@code 250 ms}, {@code 30 s}, {@code 2 min}. */
final class Durations {
    private Durations() {}

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) return ms + " ms";
        if (ms < 120_000) return (ms % 1_000 == 0 ? Long.toString(ms / 1_000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
        return (ms / 60_000) + " min";
    }
}
