package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code jclaw gateway run} in a child JVM, as an operator runs it: the real CLI main, its own state
 * dir and config, stdout's ready line awaited (bounded). Used where the test is about the process:
 * signals, a second instance, a kill.
 */
final class GatewayProcess implements AutoCloseable {
    final Process process;
    final JsonNode ready;
    final Path log;

    private GatewayProcess(Process process, JsonNode ready, Path log) {
        this.process = process;
        this.ready = ready;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static List<String> command(String... args) {
        return command(List.of("-cp", System.getProperty("java.class.path")), args);
    }

    /** The java command with these flags (a class path among them) running the CLI's main. */
    static List<String> command(List<String> jvmFlags, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-XX:+UseSerialGC"));
        command.addAll(jvmFlags);
        command.add("dev.jclaw.cli.Main");
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code jclaw <args>} to its end (bounded), returning exit status and output. */
    static Result run(Path home, Map<String, String> env, Duration limit, String... args) throws Exception {
        return run(home, env, limit, List.of("-cp", System.getProperty("java.class.path")), args);
    }

    /** Runs {@code jclaw <args>} in a JVM with these flags (a class path among them) to its end (bounded). */
    static Result run(Path home, Map<String, String> env, Duration limit, List<String> jvmFlags, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(jvmFlags, args));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("jclaw " + String.join(" ", args) + " did not end within " + limit + "; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    record Result(int exit, String out, String err) {}

    /** Starts {@code jclaw gateway run --json <args>} and waits for its ready line. */
    static GatewayProcess start(Path home, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("gateway", "run", "--json"));
        all.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command(all.toArray(String[]::new)));
        builder.environment().putAll(env);
        Path log = Files.createTempFile(home, "gateway", ".log");
        Process p = builder.redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        try {
            first = line.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            first = null;
        }
        if (first == null || !first.startsWith("{")) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("the gateway did not get ready (exit " + (p.isAlive() ? "-" : p.exitValue()) + "): " + Files.readString(log));
        }
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) {
                    // drain
                }
            } catch (IOException ignored) {
                // gone
            }
        });
        return new GatewayProcess(p, WsProbe.JSON.readTree(first), log);
    }

    URI url() {
        return URI.create(ready.path("url").asText());
    }

    int port() {
        return ready.path("port").asInt();
    }

    /** The supervisor's instance id: the JCLAW_OWNER of every process this gateway starts. */
    String owner(String token) throws Exception {
        try (GatewayClient client = GatewayClient.connect(GatewayClient.Options.cli(url(), token, null, List.of("operator.read")))) {
            return client.call("health", null, Duration.ofSeconds(10)).path("jclaw").path("supervisor").path("instanceId").asText();
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
