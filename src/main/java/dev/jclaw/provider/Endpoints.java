package dev.jclaw.provider;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ProviderConfig;
import dev.jclaw.config.ProviderConfig.Api;
import dev.jclaw.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Resolves a model ref's provider to an {@link Endpoint}: {@code models.providers.<id>} first, then
 * the well-known providers a ref may name without configuring them. A key in the config wins over
 * the provider's environment variable; the environment wins over {@code env.vars}.
 */
final class Endpoints {
    private static final Logger log = LoggerFactory.getLogger(Endpoints.class);

    /** A provider usable without a {@code models.providers} entry. */
    private record WellKnown(Api api, String baseUrl, String keyVariable) {}

    private static final Map<String, WellKnown> WELL_KNOWN = Map.of(
            "openai", new WellKnown(Api.OPENAI_COMPLETIONS, "https://api.openai.com/v1", "OPENAI_API_KEY"),
            "anthropic", new WellKnown(Api.ANTHROPIC_MESSAGES, "https://api.anthropic.com", "ANTHROPIC_API_KEY"),
            "openrouter", new WellKnown(Api.OPENAI_COMPLETIONS, "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
            "ollama", new WellKnown(Api.OLLAMA, "http://127.0.0.1:11434", null));

    /** What a ref resolves to: an {@link Endpoint}, or why it cannot be used. */
    sealed interface Resolution permits Endpoint, Unavailable {}

    /** A ref that cannot be used, and why, in words that name the fix. */
    record Unavailable(String reason) implements Resolution {}

    private final JClawConfig config;
    private final Function<String, String> env;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** @param env the process environment ({@code System::getenv} outside tests) */
    Endpoints(JClawConfig config, Function<String, String> env) {
        this.config = config;
        this.env = env;
    }

    Resolution resolve(ModelRef ref) {
        String id = ref.provider();
        ProviderConfig configured = config.providers().get(id);
        WellKnown known = WELL_KNOWN.get(id);
        if (configured == null && known == null) {
            return new Unavailable("provider \"" + id + "\" is not configured (add models.providers." + id
                    + " with baseUrl and api; built in without configuration: " + String.join(", ", new java.util.TreeSet<>(WELL_KNOWN.keySet())) + ")");
        }
        Api api = configured != null && configured.api() != null ? configured.api() : known != null ? known.api() : Api.OPENAI_COMPLETIONS;
        URI configuredUrl = configured == null ? null : configured.baseUrl();
        String baseUrl = configuredUrl != null ? configuredUrl.toString() : known != null ? known.baseUrl() : null;
        if (baseUrl == null) return new Unavailable("models.providers." + id + ".baseUrl is not set");
        Secret key = configured != null && configured.apiKey() != null ? configured.apiKey() : null;
        if (key == null && known != null && known.keyVariable() != null) {
            String value = variable(known.keyVariable());
            if (value == null) {
                return new Unavailable("no API key for provider \"" + id + "\" (set " + known.keyVariable()
                        + " in the environment or models.providers." + id + ".apiKey)");
            }
            key = Secret.of(value);
        }
        if (key == null && api == Api.ANTHROPIC_MESSAGES) {
            return new Unavailable("no API key for provider \"" + id + "\" (the Anthropic messages API needs one: set models.providers." + id + ".apiKey)");
        }
        if (api == Api.OPENAI_RESPONSES && warned.add(id)) {
            log.warn("provider {}: api \"openai-responses\" is served through the chat-completions API of the same baseUrl", id);
        }
        Map<String, Integer> maxTokens = new HashMap<>();
        if (configured != null) {
            for (ProviderConfig.ModelDefinition m : configured.models()) if (m.maxTokens() != null) maxTokens.put(m.id(), m.maxTokens());
        }
        Map<String, Secret> headers = configured == null ? Map.of() : configured.headers();
        return new Endpoint(id, api == Api.OPENAI_RESPONSES ? Api.OPENAI_COMPLETIONS : api, clientBaseUrl(api, baseUrl, id), key, headers, maxTokens);
    }

    /**
     * The base URL in the form each LangChain4j client wants. OpenClaw's Anthropic URLs stop before
     * {@code /v1} (its SDK adds {@code /v1/messages}); LangChain4j adds only {@code messages}. Ollama's
     * native API lives at the root; a {@code /v1} there is its OpenAI-compatible API, so it is dropped.
     */
    private String clientBaseUrl(Api api, String baseUrl, String id) {
        String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return switch (api) {
            case ANTHROPIC_MESSAGES -> url.endsWith("/v1") ? url : url + "/v1";
            case OLLAMA -> {
                if (!url.endsWith("/v1")) yield url;
                if (warned.add(id + "/v1")) {
                    log.warn("provider {}: api \"ollama\" speaks Ollama's native API at the server root; ignoring /v1 in {}", id, baseUrl);
                }
                yield url.substring(0, url.length() - 3);
            }
            case OPENAI_COMPLETIONS, OPENAI_RESPONSES -> url;
        };
    }

    /** Where this provider's key comes from, for messages: {@code models.providers.openai.apiKey or OPENAI_API_KEY}. */
    String keyHint(String id) {
        WellKnown known = WELL_KNOWN.get(id);
        String configKey = "models.providers." + id + ".apiKey";
        return known == null || known.keyVariable() == null ? configKey : configKey + " or " + known.keyVariable();
    }

    private String variable(String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            Secret fromConfig = config.envVars().get(name);
            value = fromConfig == null ? null : fromConfig.reveal();
        }
        return value == null || value.isBlank() ? null : value;
    }
}
