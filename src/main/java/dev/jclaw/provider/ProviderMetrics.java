package dev.jclaw.provider;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * {@code jclaw.provider.turns} (timer: count and latency of turns) and {@code jclaw.provider.attempts}
 * (counter), both tagged provider, model, outcome. Outcomes are a small fixed set, so the tags stay bounded.
 */
final class ProviderMetrics {
    private final MeterRegistry registry;

    ProviderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param outcome ok, all_failed, timeout, aborted or not_configured */
    void turn(String provider, String model, String outcome, Duration latency) {
        Timer.builder("jclaw.provider.turns").description("Model turns, every attempt and fallback included")
                .tags("provider", provider, "model", model, "outcome", outcome)
                .register(registry).record(latency);
    }

    /** @param outcome ok, or the failure kind (rate_limited, server_error, timeout, connection, auth, …) */
    void attempt(String provider, String model, String outcome) {
        Counter.builder("jclaw.provider.attempts").description("Calls to one model: first tries, retries and fallbacks")
                .tags("provider", provider, "model", model, "outcome", outcome)
                .register(registry).increment();
    }
}
