package dev.jclaw.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plausible arguments for a tool, made from its JSON input schema: for probing servers by hand or in conformance runs. */
final class SchemaSamples {
    private SchemaSamples() {}

    static Map<String, Object> argumentsFor(Map<String, Object> schema) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        if (schema == null || !(schema.get("properties") instanceof Map<?, ?> properties)) return arguments;
        int n = 1;
        for (Map.Entry<?, ?> property : properties.entrySet()) {
            arguments.put(String.valueOf(property.getKey()), sample(property.getValue(), n++));
        }
        return arguments;
    }

    private static Object sample(Object propertySchema, int n) {
        if (!(propertySchema instanceof Map<?, ?> schema)) return "test";
        if (schema.get("default") != null) return schema.get("default");
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) return values.getFirst();
        Object type = schema.get("type");
        if (type instanceof List<?> types && !types.isEmpty()) type = types.getFirst();
        return switch (String.valueOf(type)) {
            case "number", "integer" -> n;
            case "boolean" -> true;
            case "array" -> List.of();
            case "object" -> Map.of();
            default -> "test";
        };
    }
}
