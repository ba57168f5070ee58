package dev.jclaw.cli;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.provider.ModelClient;
import dev.jclaw.provider.Providers;
import dev.jclaw.provider.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Function;

/** The model client the CLI's engines use: the configured providers, with the default retries, metered. */
final class Models {
    private Models() {}

    static Function<JClawConfig, ModelClient> factory(MeterRegistry registry) {
        return config -> Providers.from(config, RetryPolicy.DEFAULT, registry);
    }
}
