package dev.jclaw.cli;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelSelection;
import dev.jclaw.provider.ChatListener;
import dev.jclaw.provider.ChatRequest;
import dev.jclaw.provider.ChatResult;
import dev.jclaw.provider.ModelClient;
import dev.jclaw.provider.Providers;
import dev.jclaw.provider.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.function.Function;

/**
 * The model client the CLI's engines use: the configured providers, with the default retries, metered.
 * They are built on the first model turn, not at start: building them sets up HTTP and TLS clients,
 * a cost a gateway should not pay before it is ready to answer.
 */
final class Models {
    private Models() {}

    static Function<JClawConfig, ModelClient> factory(MeterRegistry registry) {
        return config -> new Lazy(config, registry);
    }

    /** Builds the providers on first use (once, whichever thread gets there first); closes them if built. */
    private static final class Lazy implements ModelClient, AutoCloseable {
        private final JClawConfig config;
        private final MeterRegistry registry;
        private volatile Providers providers;

        Lazy(JClawConfig config, MeterRegistry registry) {
            this.config = config;
            this.registry = registry;
        }

        private Providers providers() {
            Providers p = providers;
            if (p != null) return p;
            synchronized (this) {
                if (providers == null) providers = Providers.from(config, RetryPolicy.DEFAULT, registry);
                return providers;
            }
        }

        @Override
        public ChatResult chat(ModelSelection selection, ChatRequest request, ChatListener listener, Duration timeout) {
            return providers().chat(selection, request, listener, timeout);
        }

        @Override
        public synchronized void close() {
            if (providers != null) providers.close();
        }
    }
}
