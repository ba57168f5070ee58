package dev.jclaw.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.config.ProviderConfig.Api;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tool input schemas reach the provider exactly as the tool (an MCP server) declared them.
 *
 * <p>LangChain4j wants a {@link JsonObjectSchema} at the top and writes back, for every API, only
 * {@code type}, {@code properties} and {@code required} ({@code []} when absent); each property is
 * passed as a {@link JsonRawSchema}, so everything below the top is untouched. A schema with anything
 * else at the top ({@code $schema}, {@code additionalProperties}, {@code $defs}, {@code anyOf}, no
 * {@code required}, …) cannot be said that way: for
 * those tools the request body LangChain4j wrote is corrected on its way out
 * ({@link #restore}), putting the original schema in place. Only requests offering such tools pay
 * for the extra parse.
 */
final class ToolSchemas {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REPRESENTABLE_KEYS = Set.of("type", "properties", "required");

    private ToolSchemas() {}

    /** LangChain4j tool specifications, and the schemas it would alter by tool name. */
    record Mapped(List<ToolSpecification> specifications, Map<String, JsonNode> exact) {}

    static Mapped map(List<dev.jclaw.provider.ToolSpec> tools) {
        List<ToolSpecification> specs = new ArrayList<>(tools.size());
        Map<String, JsonNode> exact = new LinkedHashMap<>();
        for (dev.jclaw.provider.ToolSpec tool : tools) {
            Map<String, Object> schema = tool.inputSchema() == null ? Map.of("type", "object", "properties", Map.of()) : tool.inputSchema();
            if (!representable(schema)) exact.put(tool.name(), JSON.valueToTree(schema));
            specs.add(ToolSpecification.builder().name(tool.name()).description(tool.description()).parameters(objectSchema(schema)).build());
        }
        return new Mapped(specs, Map.copyOf(exact));
    }

    private static boolean representable(Map<String, Object> schema) {
        return REPRESENTABLE_KEYS.containsAll(schema.keySet()) && "object".equals(schema.get("type"))
                && schema.get("properties") instanceof Map && schema.get("required") instanceof List<?> required
                && required.stream().allMatch(String.class::isInstance);
    }

    private static JsonObjectSchema objectSchema(Map<String, Object> schema) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder();
        if (schema.get("properties") instanceof Map<?, ?> properties) builder.addProperties(raw(properties));
        if (schema.get("required") instanceof List<?> required) {
            builder.required(required.stream().filter(String.class::isInstance).map(String.class::cast).toList());
        }
        return builder.build();
    }

    private static Map<String, JsonSchemaElement> raw(Map<?, ?> elements) {
        Map<String, JsonSchemaElement> out = new LinkedHashMap<>();
        elements.forEach((name, element) -> out.put(String.valueOf(name), JsonRawSchema.from(json(element))));
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool schema is not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The request body with each listed tool's schema replaced by its original, as the API places it. */
    static String restore(Api api, String body, Map<String, JsonNode> exact) {
        if (exact.isEmpty() || body == null) return body;
        try {
            JsonNode root = JSON.readTree(body);
            for (JsonNode tool : root.path("tools")) {
                if (api == Api.ANTHROPIC_MESSAGES) {
                    JsonNode original = exact.get(tool.path("name").asText());
                    if (original != null) ((ObjectNode) tool).set("input_schema", original);
                } else if (tool.path("function") instanceof ObjectNode function) {
                    JsonNode original = exact.get(function.path("name").asText());
                    if (original != null) function.set("parameters", original);
                }
            }
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot restore tool schemas in the request body: " + e.getOriginalMessage(), e);
        }
    }
}
