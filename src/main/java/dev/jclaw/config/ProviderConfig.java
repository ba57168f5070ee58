package dev.jclaw.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A model provider ({@code models.providers.<id>}).
 *
 * @param id      the provider id models refer to ({@code <id>/<model>})
 * @param baseUrl endpoint, or null for a built-in provider's default
 * @param apiKey  key, or null (then the provider's usual environment variable applies)
 * @param api     wire protocol, or null to infer it from the provider id
 * @param headers extra request headers
 * @param models  models declared for this provider (ids, context window, output limit)
 */
public record ProviderConfig(String id, URI baseUrl, Secret apiKey, Api api, Map<String, Secret> headers,
                             List<ModelDefinition> models) {
    public ProviderConfig {
        headers = Map.copyOf(headers);
        models = List.copyOf(models);
    }

    /** A model the provider serves; limits are null when not declared. */
    public record ModelDefinition(String id, Integer contextWindow, Integer maxTokens) {}

    /** The provider protocols JClaw speaks. */
    public enum Api {
        OPENAI_COMPLETIONS("openai-completions"),
        OPENAI_RESPONSES("openai-responses"),
        ANTHROPIC_MESSAGES("anthropic-messages"),
        OLLAMA("ollama");

        private final String wire;

        Api(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
