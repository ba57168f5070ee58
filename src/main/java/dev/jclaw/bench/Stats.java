package dev.jclaw.bench;

import java.util.Arrays;

/** Percentiles of a sample (whatever unit the caller measured in). */
public record Stats(int count, long p50, long p90, long p99, long max, double mean) {
    public static Stats of(long[] samples) {
        if (samples.length == 0) return new Stats(0, 0, 0, 0, 0, 0);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1],
                Arrays.stream(sorted).average().orElse(0));
    }

    private static long at(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
