package dev.jclaw.config;

/**
 * One finding about a config file: where ({@code path}, a JSON path such as {@code agents.list[2].id};
 * empty for the file as a whole) and what was expected there.
 */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
