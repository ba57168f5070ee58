package dev.jclaw.config;

import java.util.ArrayList;
import java.util.List;

/** Errors and warnings collected while reading one config, so all of them are reported at once. */
final class Problems {
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    void error(String path, String message) {
        errors.add(new ConfigProblem(path, message));
    }

    void warn(String path, String message) {
        warnings.add(new ConfigProblem(path, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }
}
