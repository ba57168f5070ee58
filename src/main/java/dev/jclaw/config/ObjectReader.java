package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one JSON object of the config, field by field, recording a problem with the field's JSON path
 * for every value of the wrong type or out of range, and returning null for it so reading goes on.
 * Every getter marks its key as known (present or not); the keys left over are reported by
 * {@link #reportUnknownKeys()}: an OpenClaw setting JClaw ignores is a warning, a near miss of a key
 * JClaw reads is an error ("did you mean"), anything else a warning.
 *
 * <p>{@code schema} is the path with map keys as {@code *} and array indexes as {@code []}, the form
 * in which {@link OpenClawKeys} knows OpenClaw's keys.
 */
final class ObjectReader {
    /** Longest duration a config field may hold: a week, in milliseconds. Longer is a typo, not a wish. */
    static final long MAX_MILLIS = 604_800_000L;
    /** Top-level keys that record things about the file rather than configure anything: accepted silently. */
    private static final Set<String> BOOKKEEPING = Set.of("$schema", "meta", "wizard");

    private final ReadContext ctx;
    final String path;
    private final String schema;
    private final ObjectNode node;
    private final Set<String> known = new LinkedHashSet<>();
    /** A key neither JClaw nor OpenClaw knows here is an error, not a warning (sections OpenClaw's schema keeps strict). */
    private boolean strict;

    ObjectReader(ReadContext ctx, ObjectNode node, String path, String schema) {
        this.ctx = ctx;
        this.node = node;
        this.path = path;
        this.schema = schema;
        ctx.register(this);
    }

    /** This reader, and every object read through it, made strict: unknown keys are errors. */
    ObjectReader strict() {
        strict = true;
        return this;
    }

    /** {@link #object(String)}, strict. */
    ObjectReader strictObject(String key) {
        ObjectReader reader = object(key);
        return reader == null ? null : reader.strict();
    }

    /** This reader no longer strict: for an object OpenClaw lets any key into, inside a strict section. */
    ObjectReader relaxed() {
        strict = false;
        return this;
    }

    private ObjectReader child(ObjectNode value, String at, String childSchema) {
        ObjectReader child = new ObjectReader(ctx, value, at, childSchema);
        child.strict = strict;
        return child;
    }

    String pathOf(String key) {
        return JsonPaths.child(path, key);
    }

    void error(String key, String message) {
        ctx.problems.error(pathOf(key), message);
    }

    /** An error about this object as a whole. */
    void errorHere(String message) {
        ctx.problems.error(path, message);
    }

    void warn(String key, String message) {
        ctx.problems.warn(pathOf(key), message);
    }

    /** The one warning for an OpenClaw setting JClaw reads (and checks) but does not act on. */
    void warnNotImplemented(String key) {
        warn(key, "OpenClaw setting not implemented by JClaw; ignored");
    }

    /** The value at {@code key}, or null when absent or JSON null. */
    JsonNode raw(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** Every key of this object (a map's entries), in file order, all marked as read. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) keys.add(field.getKey());
        known.addAll(keys);
        return keys;
    }

    boolean has(String key) {
        return raw(key) != null;
    }

    String string(String key) {
        JsonNode value = raw(key);
        if (value == null) return null;
        return text(value, pathOf(key));
    }

    String string(String key, String fallback) {
        String value = string(key);
        return value == null ? fallback : value;
    }

    /** A string value at {@code at}, substituted; null with an error when it is not a string. */
    String text(JsonNode value, String at) {
        if (!value.isTextual()) {
            ctx.problems.error(at, "expected a string, got " + JsonPaths.describe(value));
            return null;
        }
        return ctx.substitute(value.asText(), at);
    }

    Boolean bool(String key) {
        JsonNode value = raw(key);
        if (value == null) return null;
        if (!value.isBoolean()) {
            error(key, "expected true or false, got " + JsonPaths.describe(value));
            return null;
        }
        return value.booleanValue();
    }

    boolean bool(String key, boolean fallback) {
        Boolean value = bool(key);
        return value == null ? fallback : value;
    }

    /** A whole number from {@code min} to {@code max}, or null when absent or invalid. */
    Long number(String key, long min, long max) {
        JsonNode value = raw(key);
        if (value == null) return null;
        boolean whole = value.isIntegralNumber() || value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
        if (!whole || value.doubleValue() < min || value.doubleValue() > max) {
            error(key, "expected a whole number from " + min + " to " + max + ", got " + JsonPaths.describe(value));
            return null;
        }
        return value.longValue();
    }

    Integer integer(String key, int min, int max) {
        Long value = number(key, min, max);
        return value == null ? null : value.intValue();
    }

    int integer(String key, int min, int max, int fallback) {
        Integer value = integer(key, min, max);
        return value == null ? fallback : value;
    }

    /** A positive number of milliseconds up to a week, or null. */
    Duration millis(String key) {
        Long value = number(key, 1, MAX_MILLIS);
        return value == null ? null : Duration.ofMillis(value);
    }

    /** One of the enum's values, matched against their {@code toString()} (the config spelling). */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
        JsonNode value = raw(key);
        if (value == null) return null;
        E[] values = type.getEnumConstants();
        if (value.isTextual()) {
            for (E candidate : values) {
                if (candidate.toString().equals(value.asText())) return candidate;
            }
        }
        List<String> spelled = new ArrayList<>();
        for (E candidate : values) spelled.add(JsonPaths.quote(candidate.toString()));
        error(key, "expected one of " + String.join(", ", spelled) + "; got " + JsonPaths.describe(value));
        return null;
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        E value = choice(key, type);
        return value == null ? fallback : value;
    }

    /** An array of non-empty strings, or null when absent or invalid. */
    List<String> strings(String key) {
        JsonNode value = raw(key);
        if (value == null) return null;
        if (!value.isArray()) {
            error(key, "expected an array of strings, got " + JsonPaths.describe(value));
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            String at = JsonPaths.index(pathOf(key), i);
            String item = text(value.get(i), at);
            if (item != null && item.isBlank()) {
                ctx.problems.error(at, "expected a non-empty string");
                item = null;
            }
            if (item == null) ok = false;
            else out.add(item);
        }
        return ok ? out : null;
    }

    /**
     * A map of secrets (env and header values): strings ({@code ${VAR}} applied), numbers and booleans
     * as text, or SecretRef objects. Empty when absent.
     */
    Map<String, Secret> secrets(String key) {
        JsonNode value = raw(key);
        Map<String, Secret> out = new LinkedHashMap<>();
        if (value == null) return out;
        if (!value.isObject()) {
            error(key, "expected an object of names to values, got " + JsonPaths.describe(value));
            return out;
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String at = JsonPaths.child(pathOf(key), field.getKey());
            JsonNode item = field.getValue();
            Secret secret = item.isNumber() || item.isBoolean() ? Secret.of(item.asText()) : secret(item, at);
            if (secret != null) out.put(field.getKey(), secret);
        }
        return out;
    }

    /** A secret: a string ({@code ${VAR}} applied) or a SecretRef {@code {source: "env", id}}. Null when absent. */
    Secret secret(String key) {
        JsonNode value = raw(key);
        return value == null ? null : secret(value, pathOf(key));
    }

    private Secret secret(JsonNode value, String at) {
        if (value.isObject() && value.has("source")) {
            String source = value.path("source").asText();
            String id = value.path("id").asText("");
            if (!source.equals("env")) {
                ctx.problems.error(at, "secret source " + JsonPaths.quote(source)
                        + " is not supported by JClaw; use \"${VAR}\" or {source: \"env\", id: \"VAR\"}");
                return null;
            }
            String resolved = ctx.variable(id);
            if (resolved == null) {
                ctx.problems.error(at, "environment variable " + JsonPaths.quote(id) + " named by the SecretRef is not set");
                return null;
            }
            return Secret.of(resolved);
        }
        String text = text(value, at);
        return text == null ? null : Secret.of(text);
    }

    /** The object at {@code key}, or null when absent (an error when it is not an object). */
    ObjectReader object(String key) {
        JsonNode value = raw(key);
        if (value == null) return null;
        if (!value.isObject()) {
            error(key, "expected an object, got " + JsonPaths.describe(value));
            return null;
        }
        return child((ObjectNode) value, pathOf(key), schemaOf(key));
    }

    /** A map whose values are objects, in file order; empty when absent. */
    Map<String, ObjectReader> objects(String key) {
        ObjectReader map = object(key);
        Map<String, ObjectReader> out = new LinkedHashMap<>();
        if (map == null) return out;
        for (Map.Entry<String, JsonNode> field : map.node.properties()) {
            map.known.add(field.getKey());
            String at = map.pathOf(field.getKey());
            if (!field.getValue().isObject()) {
                ctx.problems.error(at, "expected an object, got " + JsonPaths.describe(field.getValue()));
                continue;
            }
            out.put(field.getKey(), child((ObjectNode) field.getValue(), at, map.schema + ".*"));
        }
        return out;
    }

    /** An array whose elements are objects; null when absent. */
    List<ObjectReader> objectList(String key) {
        JsonNode value = raw(key);
        if (value == null) return null;
        if (!value.isArray()) {
            error(key, "expected an array, got " + JsonPaths.describe(value));
            return null;
        }
        List<ObjectReader> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String at = JsonPaths.index(pathOf(key), i);
            JsonNode item = value.get(i);
            if (!item.isObject()) {
                ctx.problems.error(at, "expected an object, got " + JsonPaths.describe(item));
                continue;
            }
            out.add(child((ObjectNode) item, at, schemaOf(key) + "[]"));
        }
        return out;
    }

    /** A filesystem path ({@code ~} expanded, relative to the config's folder), or null. */
    Path path(String key) {
        String text = string(key);
        if (text == null) return null;
        if (text.isBlank()) {
            error(key, "expected a path, got an empty string");
            return null;
        }
        return ctx.resolvePath(text);
    }

    /** An absolute http:// or https:// URL, or null. */
    URI httpUrl(String key) {
        String text = string(key);
        if (text == null) return null;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return uri;
        } catch (URISyntaxException ignored) {
            // reported below
        }
        error(key, "expected an http:// or https:// URL, got " + JsonPaths.quote(text));
        return null;
    }

    void reportUnknownKeys() {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (known.contains(key) || schema.isEmpty() && BOOKKEEPING.contains(key)) continue;
            if (OpenClawKeys.defines(schema, key)) {
                warnNotImplemented(key);
                continue;
            }
            String nearest = nearestKnown(key);
            if (nearest != null) error(key, "unknown key; did you mean " + JsonPaths.quote(nearest) + "?");
            else if (strict) error(key, "unknown key (neither JClaw nor OpenClaw has it here)");
            else warn(key, "unknown key; ignored");
        }
    }

    /** What a strict object may hold: the keys JClaw reads here and OpenClaw's, sorted. */
    private List<String> allowedKeys() {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(known);
        keys.addAll(OpenClawKeys.keys(schema));
        return List.copyOf(keys);
    }

    private String schemaOf(String key) {
        return schema.isEmpty() ? key : schema + "." + key;
    }

    /**
     * A key JClaw reads here that {@code key} looks like a typo of: edit distance 1 (2 for keys longer
     * than 4), the closest first, then the one closest in length.
     */
    private String nearestKnown(String key) {
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : strict ? allowedKeys() : List.copyOf(known)) {
            int distance = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            int allowed = Math.min(key.length(), candidate.length()) <= 4 ? 1 : 2;
            int score = distance * 100 + Math.abs(key.length() - candidate.length());
            if (distance <= allowed && score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
