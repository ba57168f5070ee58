package dev.jclaw.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What to run: a name for logs and errors, the command, the configured environment (laid over a
 * small allowlist of the gateway's), the working directory, and where stdout lines go.
 *
 * @param name         shown in logs, errors and {@code mcp.status}
 * @param command      program and arguments; never run through a shell by JClaw
 * @param env          configured variables; the JCLAW_* markers cannot be overridden
 * @param cwd          working directory, or null for the gateway's
 * @param stop         the stop sequence's timings
 * @param maxLineBytes the longest stdout line accepted; longer fails the child
 * @param onLine       called on the child's stdout reader thread for each line
 * @param onStdoutClosed called once when stdout ends (EOF, error or line limit): nobody can answer any more
 */
public record ChildSpec(String name, List<String> command, Map<String, String> env, Path cwd,
                        StopPolicy stop, int maxLineBytes, Consumer<String> onLine, Runnable onStdoutClosed) {
    /** 16 MiB: larger than any sane JSON-RPC message, small enough that a runaway child cannot exhaust the heap. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    public ChildSpec {
        Objects.requireNonNull(name, "name");
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("child " + name + ": command is empty");
        command = List.copyOf(command);
        env = Map.copyOf(env == null ? Map.of() : env);
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        if (maxLineBytes <= 0) throw new IllegalArgumentException("child " + name + ": maxLineBytes must be positive");
        onLine = onLine == null ? line -> { } : onLine;
        onStdoutClosed = onStdoutClosed == null ? () -> { } : onStdoutClosed;
    }

    public static ChildSpec of(String name, List<String> command) {
        return new ChildSpec(name, command, Map.of(), null, StopPolicy.DEFAULT, DEFAULT_MAX_LINE_BYTES, null, null);
    }

    public ChildSpec withEnv(Map<String, String> env) {
        Map<String, String> merged = new LinkedHashMap<>(this.env);
        merged.putAll(env);
        return new ChildSpec(name, command, merged, cwd, stop, maxLineBytes, onLine, onStdoutClosed);
    }

    public ChildSpec withCwd(Path cwd) {
        return new ChildSpec(name, command, env, cwd, stop, maxLineBytes, onLine, onStdoutClosed);
    }

    public ChildSpec withStop(StopPolicy stop) {
        return new ChildSpec(name, command, env, cwd, stop, maxLineBytes, onLine, onStdoutClosed);
    }

    public ChildSpec withMaxLineBytes(int maxLineBytes) {
        return new ChildSpec(name, command, env, cwd, stop, maxLineBytes, onLine, onStdoutClosed);
    }

    public ChildSpec withOnLine(Consumer<String> onLine) {
        return new ChildSpec(name, command, env, cwd, stop, maxLineBytes, onLine, onStdoutClosed);
    }

    public ChildSpec withOnStdoutClosed(Runnable onStdoutClosed) {
        return new ChildSpec(name, command, env, cwd, stop, maxLineBytes, onLine, onStdoutClosed);
    }
}
