package dev.jclaw.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a tool's arguments; a wrong one is an {@link IllegalArgumentException} naming it, returned to the model as an error. */
final class Args {
    private final String tool;
    private final Map<String, Object> values;

    Args(String tool, Map<String, Object> values) {
        this.tool = tool;
        this.values = values == null ? Map.of() : values;
    }

    String string(String name) {
        Object value = values.get(name);
        if (value == null) return null;
        if (value instanceof String s) return s.isBlank() ? null : s;
        throw wrong(name, "a string", value);
    }

    String required(String name) {
        String value = string(name);
        if (value == null) throw new IllegalArgumentException(tool + ": \"" + name + "\" is required");
        return value;
    }

    int integer(String name, int fallback, int min, int max) {
        Object value = values.get(name);
        if (value == null) return fallback;
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            long v = n.longValue();
            if (v < min || v > max) throw new IllegalArgumentException(tool + ": \"" + name + "\" must be between " + min + " and " + max + ", got " + v);
            return (int) v;
        }
        throw wrong(name, "an integer", value);
    }

    boolean bool(String name, boolean fallback) {
        Object value = values.get(name);
        if (value == null) return fallback;
        if (value instanceof Boolean b) return b;
        throw wrong(name, "true or false", value);
    }

    List<String> strings(String name) {
        Object value = values.get(name);
        if (value == null) return List.of();
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) throw wrong(name, "a list of strings", value);
                out.add(s);
            }
            return out;
        }
        throw wrong(name, "a list of strings", value);
    }

    String oneOf(String name, String fallback, String... allowed) {
        String value = string(name);
        if (value == null) return fallback;
        for (String a : allowed) if (a.equals(value)) return value;
        throw new IllegalArgumentException(tool + ": \"" + name + "\" must be one of " + List.of(allowed) + ", got \"" + value + "\"");
    }

    /** A string as given, empty allowed (file contents, replacement text); null when absent. */
    String text(String name) {
        Object value = values.get(name);
        if (value == null) return null;
        if (value instanceof String s) return s;
        throw wrong(name, "a string", value);
    }

    /** A string that must be present, empty allowed. */
    String requiredText(String name) {
        String value = text(name);
        if (value == null) throw new IllegalArgumentException(tool + ": \"" + name + "\" is required");
        return value;
    }

    /** An array of objects, or null when absent. */
    List<Map<String, Object>> objects(String name) {
        Object value = values.get(name);
        if (value == null) return null;
        if (!(value instanceof List<?> list)) throw wrong(name, "an array of objects", value);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map)) throw wrong(name + "[" + i + "]", "an object", list.get(i));
            Map<String, Object> item = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> item.put(String.valueOf(k), v));
            out.add(item);
        }
        return out;
    }

    /** Whether the call named {@code name} at all. */
    boolean has(String name) {
        return values.get(name) != null;
    }

    private IllegalArgumentException wrong(String name, String expected, Object value) {
        String shown = String.valueOf(value);
        if (shown.length() > 80) shown = shown.substring(0, 80) + "…";
        return new IllegalArgumentException(tool + ": \"" + name + "\" must be " + expected + ", got " + shown);
    }
}
