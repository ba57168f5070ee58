package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * OpenClaw's {@code $include}: an object holding {@code "$include": "file"} is replaced by that file's
 * content; with an array of files, their contents are deep-merged in order (later wins); the object's
 * other keys are merged over the result. Paths are relative to the including file and must stay
 * under the main config's folder or a folder in {@code OPENCLAW_INCLUDE_ROOTS} ({@code :}-separated).
 * Nesting is limited to {@value #MAX_DEPTH} levels; cycles are errors.
 */
final class Includes {
    static final String KEY = "$include";
    private static final int MAX_DEPTH = 10;
    private static final int MAX_PATH_LENGTH = 4096;

    private final Problems problems;
    private final List<Path> roots = new ArrayList<>();
    private final Deque<Path> chain = new ArrayDeque<>();

    private Includes(Problems problems, Path configFile, Map<String, String> env) {
        this.problems = problems;
        addRoot(configFile.toAbsolutePath().getParent());
        String extra = env.get("OPENCLAW_INCLUDE_ROOTS");
        if (extra != null) {
            for (String root : extra.split(":")) {
                if (!root.isBlank()) addRoot(Path.of(root));
            }
        }
    }

    /** {@code root} with every include resolved; problems are recorded with the JSON path of the {@code $include}. */
    static JsonNode resolve(JsonNode root, Path configFile, Map<String, String> env, Problems problems) {
        Includes includes = new Includes(problems, configFile, env);
        includes.chain.push(realPath(configFile));
        return includes.resolve(root, configFile.toAbsolutePath().getParent(), "");
    }

    private void addRoot(Path root) {
        roots.add(realPath(root));
    }

    /** The path with symlinks resolved, or just normalised when it does not exist (text parsed without a file). */
    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private JsonNode resolve(JsonNode node, Path dir, String path) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) out.add(resolve(node.get(i), dir, JsonPaths.index(path, i)));
            return out;
        }
        if (!node.isObject()) return node;
        JsonNode included = node.has(KEY) ? loadAll(node.get(KEY), dir, path) : null;
        ObjectNode siblings = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getKey().equals(KEY)) siblings.set(field.getKey(), resolve(field.getValue(), dir, JsonPaths.child(path, field.getKey())));
        }
        if (included == null) return siblings;
        if (siblings.isEmpty()) return included;
        if (!included.isObject()) {
            problems.error(JsonPaths.child(path, KEY), "the included content is not an object, so the keys next to $include cannot be merged into it");
            return siblings;
        }
        return merge(included, siblings);
    }

    /** The content {@code $include} names in the object at {@code objectPath}, or null. */
    private JsonNode loadAll(JsonNode spec, Path dir, String objectPath) {
        String at = JsonPaths.child(objectPath, KEY);
        if (spec.isTextual()) return load(spec.asText(), dir, at, objectPath);
        if (!spec.isArray() || spec.isEmpty()) {
            problems.error(at, "expected a file path or an array of file paths, got " + JsonPaths.describe(spec));
            return null;
        }
        JsonNode merged = null;
        for (int i = 0; i < spec.size(); i++) {
            String itemAt = JsonPaths.index(at, i);
            if (!spec.get(i).isTextual()) {
                problems.error(itemAt, "expected a file path, got " + JsonPaths.describe(spec.get(i)));
                continue;
            }
            JsonNode content = load(spec.get(i).asText(), dir, itemAt, objectPath);
            if (content == null) continue;
            merged = merged == null ? content : merge(merged, content);
        }
        return merged;
    }

    private JsonNode load(String name, Path dir, String at, String objectPath) {
        if (name.isBlank() || name.indexOf('\0') >= 0 || name.length() >= MAX_PATH_LENGTH) {
            problems.error(at, "invalid include path " + JsonPaths.quote(name));
            return null;
        }
        if (chain.size() > MAX_DEPTH) {
            problems.error(at, "includes nest deeper than " + MAX_DEPTH + " levels");
            return null;
        }
        Path file;
        try {
            file = dir.resolve(name).toRealPath();
        } catch (NoSuchFileException e) {
            problems.error(at, "included file " + dir.resolve(name).normalize() + " does not exist");
            return null;
        } catch (IOException e) {
            problems.error(at, "cannot read included file " + name + ": " + e.getMessage());
            return null;
        }
        if (roots.stream().noneMatch(file::startsWith)) {
            problems.error(at, "included file " + file + " is outside the config folder (allow more folders with OPENCLAW_INCLUDE_ROOTS)");
            return null;
        }
        if (chain.contains(file)) {
            problems.error(at, "include cycle: " + file + " includes itself");
            return null;
        }
        JsonNode content;
        try {
            content = Json5.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.error(at, "cannot read included file " + file + ": " + e.getMessage());
            return null;
        } catch (Json5.SyntaxError e) {
            problems.error(at, file.getFileName() + ": " + e.getMessage());
            return null;
        }
        chain.push(file);
        try {
            return resolve(content, file.getParent(), objectPath);
        } finally {
            chain.pop();
        }
    }

    /** {@code over} merged onto {@code base}: objects key by key, everything else replaced. */
    private static JsonNode merge(JsonNode base, JsonNode over) {
        if (!base.isObject() || !over.isObject()) return over;
        ObjectNode out = ((ObjectNode) base).deepCopy();
        for (Map.Entry<String, JsonNode> field : over.properties()) {
            JsonNode existing = out.get(field.getKey());
            out.set(field.getKey(), existing == null ? field.getValue() : merge(existing, field.getValue()));
        }
        return out;
    }
}
