package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code models.providers}. A provider whose {@code api} is one OpenClaw has but JClaw does not speak
 * is left out with a warning (agents using it fail when they run, not at load); an unknown api is an error.
 */
final class ProvidersBinder {
    /** OpenClaw's other provider protocols (2026.4 and 2026.9). */
    private static final Set<String> OPENCLAW_ONLY_APIS = Set.of("openai-codex-responses", "openai-chatgpt-responses",
            "google-generative-ai", "google-vertex", "github-copilot", "bedrock-converse-stream", "pi-messages",
            "azure-openai-responses");

    private ProvidersBinder() {}

    static Map<String, ProviderConfig> bind(ObjectReader models) {
        Map<String, ProviderConfig> out = new LinkedHashMap<>();
        if (models == null) return out;
        for (Map.Entry<String, ObjectReader> entry : models.objects("providers").entrySet()) {
            ProviderConfig provider = provider(entry.getKey(), entry.getValue());
            if (provider != null) out.put(entry.getKey(), provider);
        }
        return out;
    }

    private static ProviderConfig provider(String id, ObjectReader p) {
        JsonNode apiValue = p.raw("api");
        ProviderConfig.Api api = null;
        boolean unsupported = apiValue != null && apiValue.isTextual() && OPENCLAW_ONLY_APIS.contains(apiValue.asText());
        if (unsupported) {
            p.warn("api", JsonPaths.quote(apiValue.asText()) + " is not spoken by JClaw; provider " + JsonPaths.quote(id) + " is unavailable");
        } else {
            api = p.choice("api", ProviderConfig.Api.class);
        }
        var baseUrl = p.httpUrl("baseUrl");
        Secret apiKey = p.secret("apiKey");
        Map<String, Secret> headers = p.secrets("headers");
        List<ProviderConfig.ModelDefinition> models = new ArrayList<>();
        List<ObjectReader> modelNodes = p.objectList("models");
        if (modelNodes != null) {
            for (ObjectReader m : modelNodes) {
                String modelId = m.string("id");
                if (modelId == null && !m.has("id")) m.error("id", "required: the model id the provider knows");
                Integer contextWindow = m.integer("contextWindow", 1, Integer.MAX_VALUE);
                Integer maxTokens = m.integer("maxTokens", 1, Integer.MAX_VALUE);
                if (modelId != null) models.add(new ProviderConfig.ModelDefinition(modelId, contextWindow, maxTokens));
            }
        }
        return unsupported ? null : new ProviderConfig(id, baseUrl, apiKey, api, headers, models);
    }
}
