package dev.jclaw.gateway;

import dev.jclaw.agent.RunHandle;
import dev.jclaw.agent.RunResult;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the gateway knows of — started by its clients or observed through run events — so that
 * {@code agent.wait} can answer for a run that already ended, and the idempotency keys of side
 * effects. Both are bounded: an ended run is kept {@link #KEEP} and at most {@link #MAX_ENDED};
 * an idempotency key is remembered {@link #DEDUPE_TTL} (OpenClaw's 5 minutes) and at most
 * {@link #DEDUPE_MAX}, except while its run is still going.
 */
final class RunTracker {
    static final Duration KEEP = Duration.ofMinutes(10);
    static final int MAX_ENDED = 1_000;
    static final Duration DEDUPE_TTL = Duration.ofMinutes(5);
    static final int DEDUPE_MAX = 1_000;

    /** A run and its outcome to come. */
    record Tracked(RunHandle handle, long startedAt, CompletableFuture<RunResult> result) {
        String runId() {
            return handle.runId();
        }

        /** The run's duration once it ended, else {@code fallback}. */
        long durationOr(long fallback) {
            RunResult r = result.getNow(null);
            return r == null ? fallback : r.durationMillis();
        }
    }

    /** A side effect already done for an idempotency key: the request it was for and the run it started. */
    record Claim(String fingerprint, Tracked run, long at) {}

    private final Map<String, Tracked> runs = new ConcurrentHashMap<>();
    private final Map<String, Claim> claims = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastPrune = new java.util.concurrent.atomic.AtomicLong();

    /** Tracks a run (again is harmless); its entry is pruned some time after it ends. */
    Tracked track(RunHandle handle) {
        Tracked tracked = runs.computeIfAbsent(handle.runId(),
                id -> new Tracked(handle, handle.acceptedAt().toEpochMilli(), handle.result()));
        prune();
        return tracked;
    }

    Optional<Tracked> find(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /**
     * The run already started for {@code key}, or a new one from {@code start} — atomically, so two
     * requests with one key start one run.
     *
     * @return the claim, and whether this call made it
     */
    synchronized ClaimResult claim(String key, String fingerprint, Supplier<RunHandle> start) {
        Claim existing = claims.get(key);
        long now = System.currentTimeMillis();
        if (existing != null && (now - existing.at() < DEDUPE_TTL.toMillis() || !existing.run().result().isDone())) {
            return new ClaimResult(existing, false);
        }
        Claim made = new Claim(fingerprint, track(start.get()), now);
        claims.put(key, made);
        pruneClaims(now);
        return new ClaimResult(made, true);
    }

    record ClaimResult(Claim claim, boolean created) {}

    private void pruneClaims(long now) {
        if (claims.size() <= DEDUPE_MAX) return;
        claims.entrySet().removeIf(e -> now - e.getValue().at() >= DEDUPE_TTL.toMillis() && e.getValue().run().result().isDone());
        if (claims.size() <= DEDUPE_MAX) return;
        claims.entrySet().stream().filter(e -> e.getValue().run().result().isDone())
                .sorted(Comparator.comparingLong(e -> e.getValue().at())).limit(claims.size() - DEDUPE_MAX)
                .map(Map.Entry::getKey).toList().forEach(claims::remove);
    }

    private void prune() {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        // At most once a second unless over the cap: tracking a run stays O(1) under load.
        if (runs.size() <= MAX_ENDED && now - last < 1_000) return;
        if (!lastPrune.compareAndSet(last, now)) return;
        runs.values().removeIf(t -> t.result().isDone() && now - (t.startedAt() + t.durationOr(0)) > KEEP.toMillis());
        if (runs.size() <= MAX_ENDED) return;
        runs.values().stream().filter(t -> t.result().isDone()).sorted(Comparator.comparingLong(Tracked::startedAt))
                .limit(runs.size() - MAX_ENDED).toList().forEach(t -> runs.remove(t.runId()));
    }
}
