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

    private IllegalArgumentException wrong(String name, String expected, Object value) {
        return new IllegalArgumentException(tool + ": \"" + name + "\" must be " + expected + ", got " + value);
    }
}
