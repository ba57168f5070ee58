package dev.jclaw.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} in config strings. Names are uppercase ({@code [A-Z_][A-Z0-9_]*}), as in OpenClaw;
 * anything else stays literal, and {@code $${VAR}} writes a literal {@code ${VAR}}. Values come from
 * the gateway's environment, then {@code env.vars} (the environment wins, as OpenClaw never lets the
 * config override it). Unlike OpenClaw, which leaves a missing variable unresolved with a warning,
 * a missing or empty variable is an error naming the path that used it.
 */
final class Substitution {
    private static final Pattern REFERENCE = Pattern.compile("(\\$)?\\$\\{([A-Z_][A-Z0-9_]*)}");

    private final Map<String, String> values;

    private Substitution(Map<String, String> values) {
        this.values = values;
    }

    static Substitution of(Map<String, String> environment) {
        return new Substitution(Map.copyOf(environment));
    }

    /** This environment plus {@code vars} where it has no value of its own. */
    Substitution withConfigVars(Map<String, String> vars) {
        Map<String, String> merged = new HashMap<>(vars);
        merged.putAll(values);
        return new Substitution(merged);
    }

    /** The value of {@code name}, or null when unset or empty. */
    String lookup(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code text} with its references replaced; null (with an error at {@code path}) if one is missing. */
    String apply(String text, String path, Problems problems) {
        if (text.indexOf('$') < 0) return text;
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean missing = false;
        while (m.find()) {
            String name = m.group(2);
            String replacement;
            if (m.group(1) != null) {
                replacement = "${" + name + "}";
            } else {
                replacement = lookup(name);
                if (replacement == null) {
                    problems.error(path, "${" + name + "} is not set (neither in the environment nor in env.vars)");
                    missing = true;
                    replacement = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return missing ? null : out.toString();
    }
}
