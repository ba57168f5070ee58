package dev.jclaw.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard one turn tries each model before moving to the next fallback.
 *
 * @param attemptsPerModel tries of one model, the first included (at least 1); only transient
 *                         failures (429, 5xx, timeouts, connection errors) are tried again
 * @param firstBackoff     wait before the first retry; doubles with each retry
 * @param maxBackoff       the longest wait between tries; also caps a server's {@code Retry-After}
 * @param stallTimeout     how long an attempt may go without receiving anything (response headers,
 *                         a streamed event) before it counts as timed out and is retried
 */
public record RetryPolicy(int attemptsPerModel, Duration firstBackoff, Duration maxBackoff, Duration stallTimeout) {
    /**
     * Two minutes of silence: reasoning models may think for a long while before their first token,
     * and the turn's own timeout is the bound users set.
     */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(2);

    /** 3 tries per model, 500 ms doubling to at most 8 s, 2 min stall timeout. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8), DEFAULT_STALL_TIMEOUT);

    public RetryPolicy {
        if (attemptsPerModel < 1) throw new IllegalArgumentException("attemptsPerModel must be at least 1, got " + attemptsPerModel);
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= firstBackoff <= maxBackoff, got " + firstBackoff + " and " + maxBackoff);
        }
        if (!stallTimeout.isPositive()) throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
    }

    /** With the default stall timeout. */
    public RetryPolicy(int attemptsPerModel, Duration firstBackoff, Duration maxBackoff) {
        this(attemptsPerModel, firstBackoff, maxBackoff, DEFAULT_STALL_TIMEOUT);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): the server's
     * {@code Retry-After} when it sent one, else {@code firstBackoff * 2^(retry-1)} with jitter in its
     * upper half so that many sessions hit by one outage do not retry in step; capped by {@code maxBackoff}.
     */
    Duration backoff(int retry, Duration retryAfter) {
        if (retryAfter != null) return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        long nanos = firstBackoff.toNanos();
        for (int i = 1; i < retry && nanos < maxBackoff.toNanos(); i++) nanos *= 2;
        nanos = Math.min(nanos, maxBackoff.toNanos());
        return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
    }
}
