package dev.jclaw.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A config file that cannot be used; the message lists every error, one per line. */
public final class InvalidConfigException extends RuntimeException {
    private final transient List<ConfigProblem> errors;

    public InvalidConfigException(Path source, List<ConfigProblem> errors) {
        super((source == null ? "config" : source.toString()) + " is invalid:\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigProblem> errors() {
        return errors;
    }
}
