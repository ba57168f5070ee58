package dev.jclaw.config;

import java.nio.file.Path;
import java.util.List;

/** What {@link ConfigLoader} returns: a config with its warnings, or every error found. */
public sealed interface ConfigResult {
    /** Findings that did not stop the config from loading (ignored OpenClaw settings, unknown keys). */
    List<ConfigProblem> warnings();

    /** The config, or {@link InvalidConfigException} listing every error. */
    JClawConfig orElseThrow();

    record Valid(JClawConfig config, List<ConfigProblem> warnings) implements ConfigResult {
        public Valid {
            warnings = List.copyOf(warnings);
        }

        @Override
        public JClawConfig orElseThrow() {
            return config;
        }
    }

    /** @param errors never empty; each names a JSON path and what was expected there */
    record Invalid(Path source, List<ConfigProblem> errors, List<ConfigProblem> warnings) implements ConfigResult {
        public Invalid {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }

        @Override
        public JClawConfig orElseThrow() {
            throw new InvalidConfigException(source, errors);
        }
    }
}
