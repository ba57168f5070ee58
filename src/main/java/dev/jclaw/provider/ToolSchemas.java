package dev.jclaw.provider;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.config.ProviderConfig.Api;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;

import java.io.IOException;
import java.io.StringWriter;
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
 * for the extra pass, a streaming copy that builds a tree of the tools alone, never of the history.
 *
 * <p>A tool's mapping is kept ({@link #MAPPED}, bounded) and found again by name, description and the
 * identity of its schema object: an MCP tool keeps that object until its server lists tools anew, so
 * every turn after the first reuses the mapping instead of serialising each schema again.
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
            MappedTool mapped = mapped(tool);
            if (mapped.exact() != null) exact.put(tool.name(), mapped.exact());
            specs.add(mapped.specification());
        }
        return new Mapped(specs, Map.copyOf(exact));
    }

    /** One tool's specification, and its original schema when LangChain4j would alter it (else null). */
    private record MappedTool(ToolSpecification specification, JsonNode exact) {}

    /** Equal when name and description are, and the schema is the very same object. */
    private record ToolKey(String name, String description, Object schema) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ToolKey k && k.schema == schema && k.name.equals(name) && java.util.Objects.equals(k.description, description);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + System.identityHashCode(schema);
        }
    }

    private static final int MAPPED_MAX = 1024; // tools offered across all agents; more only costs re-mapping
    private static final Map<ToolKey, MappedTool> MAPPED = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ToolKey, MappedTool> eldest) {
            return size() > MAPPED_MAX;
        }
    });

    private static MappedTool mapped(dev.jclaw.provider.ToolSpec tool) {
        ToolKey key = new ToolKey(tool.name(), tool.description(), tool.inputSchema());
        MappedTool known = MAPPED.get(key);
        if (known != null) return known;
        Map<String, Object> schema = tool.inputSchema() == null ? Map.of("type", "object", "properties", Map.of()) : tool.inputSchema();
        MappedTool mapped = new MappedTool(
                ToolSpecification.builder().name(tool.name()).description(tool.description()).parameters(objectSchema(schema)).build(),
                representable(schema) ? null : JSON.valueToTree(schema));
        if (tool.inputSchema() != null) MAPPED.put(key, mapped);
        return mapped;
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
        StringWriter out = new StringWriter(body.length());
        try (JsonParser in = JSON.createParser(body); JsonGenerator gen = JSON.createGenerator(out)) {
            if (in.nextToken() != JsonToken.START_OBJECT) return body;
            gen.writeStartObject();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                gen.writeFieldName(field);
                if (field.equals("tools") && value == JsonToken.START_ARRAY) {
                    gen.writeStartArray();
                    for (JsonToken t = in.nextToken(); t != null && t != JsonToken.END_ARRAY; t = in.nextToken()) {
                        if (t != JsonToken.START_OBJECT) {
                            gen.copyCurrentStructure(in);
                            continue;
                        }
                        JsonNode tool = JSON.readTree(in);
                        if (api == Api.ANTHROPIC_MESSAGES) {
                            JsonNode original = exact.get(tool.path("name").asText());
                            if (original != null) ((ObjectNode) tool).set("input_schema", original);
                        } else if (tool.path("function") instanceof ObjectNode function) {
                            JsonNode original = exact.get(function.path("name").asText());
                            if (original != null) function.set("parameters", original);
                        }
                        JSON.writeTree(gen, tool);
                    }
                    gen.writeEndArray();
                } else {
                    gen.copyCurrentStructure(in);
                }
            }
            gen.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot restore tool schemas in the request body: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }
}
