package dev.jclaw.provider;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the LangChain4j streaming model for one provider and model id, over the shared transport. */
final class ModelFactory {
    /**
     * Anthropic requires an output limit on every request; LangChain4j would send 1024, too few for
     * an agent writing a file. 8192 is accepted by every current Claude model; {@code models[].maxTokens}
     * of the provider overrides it.
     */
    static final int DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;

    private ModelFactory() {}

    static StreamingChatModel build(Endpoint endpoint, String model, HttpTransport transport) {
        Map<String, String> headers = new LinkedHashMap<>();
        endpoint.headers().forEach((name, value) -> headers.put(name, value.reveal()));
        String key = endpoint.apiKey() == null ? null : endpoint.apiKey().reveal();
        Integer maxTokens = endpoint.maxTokens().get(model);
        return switch (endpoint.api()) {
            // An OpenAI-compatible server gets no output limit unless declared: each knows its models' own.
            case OPENAI_COMPLETIONS, OPENAI_RESPONSES -> OpenAiStreamingChatModel.builder()
                    .httpClientBuilder(transport.builder())
                    .baseUrl(endpoint.baseUrl())
                    .apiKey(key)
                    .modelName(model)
                    .maxTokens(maxTokens)
                    .customHeaders(headers)
                    .build();
            case ANTHROPIC_MESSAGES -> AnthropicStreamingChatModel.builder()
                    .httpClientBuilder(transport.builder())
                    .baseUrl(endpoint.baseUrl())
                    .apiKey(key)
                    .modelName(model)
                    .maxTokens(maxTokens != null ? maxTokens : DEFAULT_ANTHROPIC_MAX_TOKENS)
                    .customHeaders(headers)
                    .build();
            case OLLAMA -> {
                // Ollama has no key of its own; one configured is for a proxy in front of it.
                if (key != null) headers.putIfAbsent("Authorization", "Bearer " + key);
                yield OllamaStreamingChatModel.builder()
                        .httpClientBuilder(transport.builder())
                        .baseUrl(endpoint.baseUrl())
                        .modelName(model)
                        .numPredict(maxTokens)
                        .customHeaders(headers)
                        .build();
            }
        };
    }
}
