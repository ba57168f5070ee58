package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code openclaw.json} / {@code jclaw.json}: JSON5, {@code $include}, {@code ${VAR}}, then the
 * typed model with every problem reported at once. Never throws for bad input; see {@link ConfigResult}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Loads {@code file} with the process environment. */
    public static ConfigResult load(Path file) {
        return load(file, System.getenv());
    }

    /** Loads {@code file}; {@code env} stands in for the process environment ({@code ${VAR}}, state dir, overrides). */
    public static ConfigResult load(Path file, Map<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return invalid(absolute, "config file " + absolute + " does not exist");
        } catch (IOException e) {
            return invalid(absolute, "cannot read " + absolute + ": " + e.getMessage());
        }
        return parse(text, absolute, env);
    }

    /** Reads config text as if it were the file {@code file} (which sets the folder for relative paths and includes). */
    public static ConfigResult parse(String text, Path file, Map<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        JsonNode tree;
        try {
            tree = Json5.parse(text);
        } catch (Json5.SyntaxError e) {
            return invalid(absolute, e.getMessage());
        }
        ReadContext ctx = new ReadContext(env, absolute.getParent());
        JsonNode resolved = Includes.resolve(tree, absolute, env, ctx.problems);
        return bind(ctx, resolved, absolute, env);
    }

    private static ConfigResult bind(ReadContext ctx, JsonNode tree, Path source, Map<String, String> env) {
        ObjectReader root = ctx.root(tree);
        JClawConfig config = root == null ? null : new ConfigBinder(ctx, StateDir.resolve(env)).bind(root, source);
        if (config == null) return new ConfigResult.Invalid(source, ctx.problems.errors(), ctx.problems.warnings());
        return new ConfigResult.Valid(config, ctx.problems.warnings());
    }

    private static ConfigResult invalid(Path source, String message) {
        return new ConfigResult.Invalid(source, List.of(new ConfigProblem("", message)), List.of());
    }
}
