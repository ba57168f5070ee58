package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * State shared by the {@link ObjectReader}s of one config: the problems found, the variables for
 * {@code ${VAR}}, and where relative paths start. Every reader registers here, so unknown keys are
 * reported for every object read, not only for those a binder remembered to check.
 */
final class ReadContext {
    final Problems problems = new Problems();
    private final List<ObjectReader> readers = new ArrayList<>();
    private final Path baseDir;
    private final Path home;
    private Substitution substitution;

    ReadContext(Map<String, String> environment, Path baseDir) {
        this.substitution = Substitution.of(environment);
        this.baseDir = baseDir;
        this.home = StateDir.home(environment);
    }

    ObjectReader root(JsonNode node) {
        if (!node.isObject()) {
            problems.error("", "a config is a JSON5 object, got " + JsonPaths.describe(node));
            return null;
        }
        return new ObjectReader(this, (ObjectNode) node, "", "");
    }

    void register(ObjectReader reader) {
        readers.add(reader);
    }

    /** Makes {@code env.vars} available to {@code ${VAR}} in everything read afterwards. */
    void addConfigVars(Map<String, String> vars) {
        substitution = substitution.withConfigVars(vars);
    }

    String substitute(String text, String path) {
        return substitution.apply(text, path, problems);
    }

    /** An environment variable (the gateway's own, then {@code env.vars}), or null when unset or empty. */
    String variable(String name) {
        return substitution.lookup(name);
    }

    /** {@code ~} and {@code ~/...} expanded; relative paths resolved against the config file's folder. */
    Path resolvePath(String text) {
        String expanded = text.equals("~") ? home.toString() : text.startsWith("~/") ? home.resolve(text.substring(2)).toString() : text;
        return baseDir.resolve(expanded).toAbsolutePath().normalize();
    }

    void reportUnknownKeys() {
        for (ObjectReader reader : readers) reader.reportUnknownKeys();
    }
}
