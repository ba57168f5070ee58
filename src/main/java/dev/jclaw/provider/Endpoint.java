package dev.jclaw.provider;

import dev.jclaw.config.ProviderConfig.Api;
import dev.jclaw.config.Secret;

import java.util.Map;

/**
 * Where and how to reach one provider, resolved from {@code models.providers.<id>} and the
 * well-known defaults.
 *
 * @param provider  the provider id
 * @param api       the protocol spoken (never {@code OPENAI_RESPONSES}: that is served by chat completions)
 * @param baseUrl   the base URL as the LangChain4j client of {@code api} expects it
 * @param apiKey    the key, or null when the provider needs none
 * @param headers   extra request headers
 * @param maxTokens output limit declared for each model id in {@code models[]}
 */
record Endpoint(String provider, Api api, String baseUrl, Secret apiKey, Map<String, Secret> headers, Map<String, Integer> maxTokens)
        implements Endpoints.Resolution {
    Endpoint {
        headers = Map.copyOf(headers);
        maxTokens = Map.copyOf(maxTokens);
    }
}
