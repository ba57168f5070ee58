package dev.jclaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.gateway.GatewayClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway as its users meet it: a real {@code jclaw gateway} process (started the way the given
 * command starts it, e.g. the ./jclaw launcher with its AOT cache) with 9 agents configured.
 * <ol>
 * <li>Start to ready, several times: from spawning the process to the port accepting, and to a
 *     {@code health} request answered over WebSocket.</li>
 * <li>Idle memory: RSS (and its anonymous and file-backed parts) after the gateway sat idle.</li>
 * <li>{@code health} round trip over one WebSocket connection.</li>
 * <li>{@code agent} turns per second over WebSocket, several connections at once, each turn's model
 *     call answered at once by the scripted provider server over real HTTP.</li>
 * <li>SIGTERM to exit.</li>
 * </ol>
 */
public final class GatewayBenchmark {
    private static final String TOKEN = "bench-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param launch  the command that runs {@code jclaw} (the benchmark appends {@code gateway run ...})
     * @param starts  measured starts (one more, unmeasured, comes first)
     * @param idle    how long the gateway sits idle before its memory is read
     * @param health  measured health calls (after as many again to warm up)
     * @param turns   agent turns in all
     * @param clients connections running turns at once
     */
    public record Options(List<String> launch, int starts, Duration idle, int health, int turns, int clients) {}

    public record Result(Stats acceptMillis, Stats readyMillis, long rssKb, long rssAnonKb, long rssFileKb, Stats healthMicros,
                         double turnsPerSecond, Stats turnMicros, long shutdownMillis, int cores) {}

    private GatewayBenchmark() {}

    /** The command that runs this very JClaw: java with the same classpath and the launcher's flags. */
    public static List<String> sameJvm() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.jclaw.cli.Main");
    }

    public static Result run(Options o, PrintStream progress) throws Exception {
        Path dir = Files.createTempDirectory("jclaw-bench-gateway");
        try (ScriptedProviderServer provider = ScriptedProviderServer.start(r -> ScriptedProviderServer.Reply.text("ok " + r.lastUserText()))) {
            Path config = dir.resolve("jclaw.json");
            StringBuilder agents = new StringBuilder();
            for (int i = 0; i < 9; i++) {
                agents.append(i == 0 ? "" : ", ").append("{ id: \"agent-").append(i).append("\", model: \"scripted/m1\"")
                        .append(i == 0 ? ", default: true" : "").append(" }");
            }
            Files.writeString(config, """
                    {
                      agents: { defaults: { maxConcurrent: 8 }, list: [ %s ] },
                      models: { providers: { scripted: { api: "openai-completions", baseUrl: "%s", apiKey: "bench" } } },
                      gateway: { auth: { mode: "token", token: "%s" } }
                    }
                    """.formatted(agents, provider.openAiBaseUrl(), TOKEN));
            List<long[]> starts = new ArrayList<>();
            for (int i = 0; i <= o.starts(); i++) {
                Path state = dir.resolve("state-" + i);
                try (Running g = Running.start(o.launch(), config, state)) {
                    if (i > 0) starts.add(new long[] {g.acceptNanos / 1_000_000, g.readyNanos / 1_000_000});
                    progress.printf("start %d: accepting after %d ms, ready after %d ms%s%n", i, g.acceptNanos / 1_000_000, g.readyNanos / 1_000_000,
                            i == 0 ? " (warm-up, not counted)" : "");
                }
            }
            Stats accept = Stats.of(starts.stream().mapToLong(s -> s[0]).toArray());
            Stats ready = Stats.of(starts.stream().mapToLong(s -> s[1]).toArray());

            try (Running g = Running.start(o.launch(), config, dir.resolve("state-run"))) {
                progress.printf("idle %d s ...%n", o.idle().toSeconds());
                Thread.sleep(o.idle().toMillis());
                Map<String, Long> memory = memory(g.process.pid());
                Stats health;
                try (GatewayClient client = g.client()) {
                    long[] samples = new long[o.health()];
                    for (int i = 0; i < o.health() * 2; i++) {
                        long t = System.nanoTime();
                        client.call("health", null, Duration.ofSeconds(10));
                        if (i >= o.health()) samples[i - o.health()] = (System.nanoTime() - t) / 1_000;
                    }
                    health = Stats.of(samples);
                }
                progress.printf("health round trip p50 %d µs%n", health.p50());
                turns(g, Math.min(200, o.turns()), o.clients(), progress); // warm-up
                long[] turnSamples = new long[o.turns()];
                long began = System.nanoTime();
                turns(g, o.turns(), o.clients(), progress, turnSamples);
                double seconds = (System.nanoTime() - began) / 1e9;
                double perSecond = o.turns() / seconds;
                progress.printf("%d turns on %d connections in %.1f s%n", o.turns(), o.clients(), seconds);
                long stopBegan = System.nanoTime();
                g.process.destroy();
                if (!g.process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the gateway did not exit within 30 s of SIGTERM");
                long stopMillis = (System.nanoTime() - stopBegan) / 1_000_000;
                return new Result(accept, ready, memory.get("VmRSS"), memory.get("RssAnon"), memory.get("RssFile"), health, perSecond,
                        Stats.of(turnSamples), stopMillis, Runtime.getRuntime().availableProcessors());
            }
        } finally {
            Scratch.delete(dir);
        }
    }

    private static void turns(Running g, int total, int clients, PrintStream progress) throws Exception {
        turns(g, total, clients, progress, new long[total]);
    }

    /** {@code total} agent turns spread over {@code clients} connections, each turn in the connection's own session. */
    private static void turns(Running g, int total, int clients, PrintStream progress, long[] samples) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int connection = c;
                running.add(pool.submit(() -> {
                    try (GatewayClient client = g.client()) {
                        for (int i; (i = next.getAndIncrement()) < total; ) {
                            long t = System.nanoTime();
                            JsonNode result = client.callFinal("agent", Map.of("message", "turn " + i, "agentId", "agent-" + (connection % 9),
                                    "sessionKey", "bench-" + connection, "idempotencyKey", UUID.randomUUID().toString()), a -> { },
                                    Duration.ofSeconds(60));
                            if (!"ok".equals(result.path("status").asText())) throw new IllegalStateException("turn failed: " + result);
                            samples[i] = (System.nanoTime() - t) / 1_000;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get(10, TimeUnit.MINUTES);
        }
    }

    /** VmRSS, RssAnon and RssFile of a process, in KiB. */
    static Map<String, Long> memory(long pid) throws IOException {
        Map<String, Long> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            String[] parts = line.split("\\s+");
            if (parts.length >= 2 && (parts[0].equals("VmRSS:") || parts[0].equals("RssAnon:") || parts[0].equals("RssFile:"))) {
                values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
            }
        }
        return values;
    }

    /** One gateway process, from spawn to ready; closing it kills what is left (the measured stop is SIGTERM). */
    private static final class Running implements AutoCloseable {
        final Process process;
        final int port;
        long acceptNanos;
        long readyNanos;

        private Running(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Running start(List<String> launch, Path config, Path state) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> command = new ArrayList<>(launch);
            command.addAll(List.of("gateway", "run", "--port", Integer.toString(port)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("JCLAW_CONFIG", config.toString());
            builder.environment().put("JCLAW_STATE_DIR", state.toString());
            builder.environment().remove("JCLAW_GATEWAY_PORT");
            builder.environment().remove("OPENCLAW_GATEWAY_PORT");
            long t0 = System.nanoTime();
            Running running = new Running(builder.start(), port);
            try {
                long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
                while (!accepts(port)) {
                    if (!running.process.isAlive()) throw new IllegalStateException("the gateway exited with " + running.process.exitValue());
                    if (System.nanoTime() > deadline) throw new IllegalStateException("the gateway did not listen within 60 s");
                    Thread.sleep(1);
                }
                running.acceptNanos = System.nanoTime() - t0;
                while (!healthy(port)) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("the gateway did not become healthy within 60 s");
                    Thread.sleep(1);
                }
                try (GatewayClient client = running.client()) {
                    client.call("health", null, Duration.ofSeconds(10));
                }
                running.readyNanos = System.nanoTime() - t0;
                return running;
            } catch (Exception e) {
                running.close();
                throw e;
            }
        }

        private static boolean accepts(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** GET /health over a plain socket: 200 once the engine is up (503 while starting). */
        private static boolean healthy(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                s.setSoTimeout(1_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String status = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
                return status != null && status.contains(" 200 ");
            } catch (IOException e) {
                return false;
            }
        }

        GatewayClient client() throws Exception {
            return GatewayClient.connect(new GatewayClient.Options(URI.create("ws://127.0.0.1:" + port), TOKEN, null, "cli", "cli", "bench",
                    List.of("operator.admin"), Duration.ofSeconds(10)));
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    public static void print(Result r, PrintStream out) {
        out.printf("| measurement | result |%n|---|---|%n");
        out.printf("| start to port accepting | p50 %d ms, max %d ms (%d starts) |%n", r.acceptMillis().p50(), r.acceptMillis().max(), r.acceptMillis().count());
        out.printf("| start to ready (WebSocket health answered) | p50 %d ms, max %d ms |%n", r.readyMillis().p50(), r.readyMillis().max());
        out.printf("| idle RSS | %.1f MiB (anonymous %.1f, file-backed %.1f) |%n", r.rssKb() / 1024.0, r.rssAnonKb() / 1024.0, r.rssFileKb() / 1024.0);
        out.printf("| health round trip over WebSocket | p50 %d µs, p99 %d µs |%n", r.healthMicros().p50(), r.healthMicros().p99());
        out.printf("| agent turns over WebSocket | %.0f turns/s; per turn p50 %d µs, p99 %d µs |%n", r.turnsPerSecond(), r.turnMicros().p50(),
                r.turnMicros().p99());
        out.printf("| SIGTERM to exit | %d ms |%n", r.shutdownMillis());
        out.printf("(%d cores)%n", r.cores());
    }
}
