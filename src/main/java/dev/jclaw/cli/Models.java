package dev.jclaw.cli;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.provider.ModelClient;
import dev.jclaw.provider.ProviderException;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.function.Function;

/**
 * The model client the CLI's engines use. The provider layer (issue 5) is not in this build yet, so
 * every model turn fails with a message saying so; everything else of the gateway works.
 */
final class Models {
    private Models() {}

    static Function<JClawConfig, ModelClient> factory(MeterRegistry registry) {
        return config -> (selection, request, listener, timeout) -> {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, "this JClaw build has no model providers yet (the provider"
                    + " layer is not merged): agent turns cannot run", List.of());
        };
    }
}
