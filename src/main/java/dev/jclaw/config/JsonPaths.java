package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Pattern;

/** JSON paths for messages ({@code agents.list[2].id}, {@code mcp.servers["my server"].url}) and value descriptions. */
final class JsonPaths {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    private JsonPaths() {}

    static String child(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) return parent.isEmpty() ? key : parent + "." + key;
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** How a value reads in a message: {@code "abc"}, {@code 7}, {@code an object}. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) return "nothing";
        if (value.isNull()) return "null";
        if (value.isTextual()) return quote(value.asText());
        if (value.isObject()) return "an object";
        if (value.isArray()) return "an array";
        return value.toString();
    }

    static String quote(String text) {
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }
}
