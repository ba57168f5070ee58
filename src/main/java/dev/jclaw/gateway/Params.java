package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The params of one method, checked the way OpenClaw's closed schemas check them: every property
 * must be known, required ones present, each of its type. A failure names the method, the place
 * and the problem ({@code invalid agent params: at /timeout: must be an integer >= 0}), in
 * OpenClaw's wording so its clients recognise it. Properties OpenClaw defines but JClaw does not act
 * on are accepted ({@link #accepts}) so that OpenClaw's clients are not refused for sending them.
 */
final class Params {
    /** What a property must be. */
    enum Kind {
        STRING("a string"), NON_EMPTY_STRING("a non-empty string"), BOOLEAN("a boolean"), INTEGER_MIN0("an integer >= 0"),
        INTEGER_MIN1("an integer >= 1"), NUMBER_MIN0("a number >= 0"), OBJECT("an object"), STRING_ARRAY("an array of strings"),
        ANY("anything");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        boolean accepts(JsonNode value) {
            return switch (this) {
                case STRING -> value.isTextual();
                case NON_EMPTY_STRING -> value.isTextual() && !value.asText().isEmpty();
                case BOOLEAN -> value.isBoolean();
                case INTEGER_MIN0 -> value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0;
                case INTEGER_MIN1 -> value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 1;
                case NUMBER_MIN0 -> value.isNumber() && value.asDouble() >= 0;
                case OBJECT -> value.isObject();
                case STRING_ARRAY -> value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isTextual);
                case ANY -> true;
            };
        }
    }

    private record Property(Kind kind, boolean required, Set<String> choices) {}

    private final String method;
    private final String path;
    private final Map<String, Property> properties = new LinkedHashMap<>();

    private Params(String method, String path) {
        this.method = method;
        this.path = path;
    }

    static Params of(String method) {
        return new Params(method, "");
    }

    /** The schema of an object nested at {@code path} (e.g. {@code /client}) in {@code method}'s params. */
    static Params nested(String method, String path) {
        return new Params(method, path);
    }

    Params required(String name, Kind kind) {
        properties.put(name, new Property(kind, true, null));
        return this;
    }

    Params optional(String name, Kind kind) {
        properties.put(name, new Property(kind, false, null));
        return this;
    }

    /** An optional string that must be one of {@code choices}. */
    Params optionalChoice(String name, String... choices) {
        properties.put(name, new Property(Kind.STRING, false, Set.of(choices)));
        return this;
    }

    /** Properties OpenClaw's schema allows that JClaw accepts and ignores. */
    Params accepts(String... names) {
        for (String name : names) properties.putIfAbsent(name, new Property(Kind.ANY, false, null));
        return this;
    }

    /**
     * Checks {@code params} (absent params count as {@code {}}, as OpenClaw's clients omit them).
     *
     * @return the params as an object
     * @throws GatewayError INVALID_REQUEST naming the first problem
     */
    ObjectNode check(JsonNode params) {
        if (params == null || params.isNull() || params.isMissingNode()) params = Json.object();
        if (!params.isObject()) throw fail(where() + ": must be an object, got " + describe(params));
        ObjectNode object = (ObjectNode) params;
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) object::fields) {
            Property property = properties.get(field.getKey());
            if (property == null) {
                throw fail(where() + ": unexpected property '" + field.getKey() + "' (known: " + String.join(", ", properties.keySet()) + ")");
            }
            JsonNode value = field.getValue();
            if (!property.kind().accepts(value)) {
                throw fail("at " + path + "/" + field.getKey() + ": must be " + property.kind().description + ", got " + describe(value));
            }
            if (property.choices() != null && !property.choices().contains(value.asText())) {
                throw fail("at " + path + "/" + field.getKey() + ": must be one of " + List.copyOf(property.choices()) + ", got " + value);
            }
        }
        for (var property : properties.entrySet()) {
            if (property.getValue().required() && !object.has(property.getKey())) {
                throw fail((path.isEmpty() ? "" : where() + ": ") + "must have required property '" + property.getKey() + "'");
            }
        }
        return object;
    }

    private String where() {
        return path.isEmpty() ? "at root" : "at " + path;
    }

    private GatewayError fail(String problem) {
        return GatewayError.invalid("invalid " + method + " params: " + problem);
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().toString().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    static String string(JsonNode params, String name) {
        JsonNode value = params.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A string that is null when absent or blank. */
    static String trimmed(JsonNode params, String name) {
        String value = string(params, name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    static Long integer(JsonNode params, String name) {
        JsonNode value = params.get(name);
        return value == null || value.isNull() ? null : value.asLong();
    }

    static boolean bool(JsonNode params, String name, boolean fallback) {
        JsonNode value = params.get(name);
        return value == null || value.isNull() ? fallback : value.asBoolean();
    }
}
