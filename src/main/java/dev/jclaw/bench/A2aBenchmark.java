package dev.jclaw.bench;

import dev.jclaw.agent.Engine;
import dev.jclaw.agent.RunEvent;
import dev.jclaw.agent.RunRequest;
import dev.jclaw.agent.RunResult;
import dev.jclaw.provider.Providers;
import dev.jclaw.provider.RetryPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed scenario as a measurement: 9 agents sharing 9 warm MCP servers (gateway scope), agent
 * a sends to b…i in rotation through {@code sessions_send} with an instant scripted model. Reports
 * the send's round trip as the calling run sees it (tool start to tool result: the target's whole
 * turn), and the MCP process count and this JVM's RSS before and after.
 */
public final class A2aBenchmark {
    private static final List<String> AGENTS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i");

    public record Result(int sends, Stats roundTrip, double sendsPerSecond, int processesBefore, int processesAfter,
                         long rssBeforeKb, long rssAfterKb, long errors) {}

    public static Result run(List<String> mcpServer, int sends, int warmup, PrintStream progress) throws Exception {
        Path dir = Files.createTempDirectory("jclaw-bench-a2a");
        AtomicInteger counter = new AtomicInteger();
        try (ScriptedProviderServer provider = ScriptedProviderServer.start(r -> {
            String last = r.lastUserText();
            if (last.startsWith("[")) return ScriptedProviderServer.Reply.text("REPLY_SKIP");
            if (last.contains("Announce its outcome")) return ScriptedProviderServer.Reply.text("ANNOUNCE_SKIP");
            if (!r.model().equals("a")) return ScriptedProviderServer.Reply.text("pong");
            if (r.messages().getLast().toolResult() != null) return ScriptedProviderServer.Reply.text("ok");
            String target = AGENTS.get(1 + counter.getAndIncrement() % 8);
            return ScriptedProviderServer.Reply.toolCall("sessions_send", "{\"sessionKey\":\"agent:" + target + ":main\",\"message\":\"ping\"}");
        })) {
            StringBuilder servers = new StringBuilder();
            StringBuilder args = new StringBuilder();
            for (String arg : mcpServer.subList(1, mcpServer.size())) args.append(args.isEmpty() ? "" : ", ").append('"').append(arg).append('"');
            for (int n = 1; n <= 9; n++) servers.append("s").append(n).append(": { command: \"").append(mcpServer.getFirst())
                    .append("\", args: [").append(args).append("] },\n");
            StringBuilder agents = new StringBuilder();
            for (String id : AGENTS) agents.append("{ id: \"").append(id).append("\", model: \"scripted/").append(id).append("\" },");
            provider.recording(0); // thousands of large requests: keeping them would be the benchmark's own leak
            Path config = dir.resolve("openclaw.json");
            Files.writeString(config, """
                    {
                      models: { providers: { scripted: { api: "openai-completions", baseUrl: "%s", apiKey: "bench" } } },
                      tools: { agentToAgent: { enabled: true }, sessions: { visibility: "all" } },
                      mcp: { servers: { %s } },
                      agents: { list: [ %s ] },
                    }
                    """.formatted(provider.openAiBaseUrl(), servers, agents));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Engine engine = Engine.start(config, Map.of("JCLAW_STATE_DIR", dir.resolve("state").toString()),
                    new Engine.Options(c -> Providers.from(c, RetryPolicy.DEFAULT, registry), registry, false))) {
                Map<String, Long> started = new ConcurrentHashMap<>();
                long[] samples = new long[sends];
                AtomicInteger recorded = new AtomicInteger(-warmup);
                engine.agents().addListener(event -> {
                    if (!event.stream().equals(RunEvent.TOOL) || !"sessions_send".equals(event.data().get("name"))) return;
                    String id = event.runId() + event.data().get("toolCallId");
                    if ("start".equals(event.data().get("phase"))) {
                        started.put(id, System.nanoTime());
                    } else {
                        Long t0 = started.remove(id);
                        int n = recorded.getAndIncrement();
                        if (t0 != null && n >= 0 && n < samples.length) samples[n] = (System.nanoTime() - t0) / 1000;
                    }
                });
                long errors = 0;
                for (int i = 0; i < warmup; i++) engine.agents().run(RunRequest.of("a", "send"));
                settle(engine);
                String script = mcpServer.size() > 1 ? mcpServer.get(1) : mcpServer.getFirst(); // node <script> ...
                int processesBefore = processes(script);
                long rssBefore = rssKb();
                progress.printf("  warm-up done: %d MCP server processes, RSS %d MB%n", processesBefore, rssBefore / 1024);
                long start = System.nanoTime();
                for (int i = 0; i < sends; i++) {
                    RunResult result = engine.agents().run(RunRequest.of("a", "send"));
                    if (result.status() != RunResult.Status.OK || !result.text().equals("ok")) errors++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                settle(engine);
                return new Result(sends, Stats.of(samples), sends / seconds, processesBefore, processes(script), rssBefore, rssKb(), errors);
            }
        } finally {
            Scratch.delete(dir);
        }
    }

    /** Waits until background ping-pong and announce steps are over, then collects garbage so RSS compares. */
    private static void settle(Engine engine) throws InterruptedException {
        long quiet = System.nanoTime();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() - quiet < 1_000_000_000L && System.nanoTime() < deadline) {
            if (!engine.agents().active().isEmpty()) quiet = System.nanoTime();
            Thread.sleep(50);
        }
        System.gc();
    }

    /**
     * The seed reporter's count, {@code pgrep -f <server script>}: every process whose command line
     * names the server script (a launch chain's wrappers repeat it, so they would count).
     */
    private static int processes(String script) throws IOException {
        int count = 0;
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : dirs) {
                try {
                    String cmd = Files.readString(proc.resolve("cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (cmd.contains(script)) count++;
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return count;
    }

    private static long rssKb() throws IOException {
        return GatewayBenchmark.memory(ProcessHandle.current().pid()).getOrDefault("VmRSS", -1L);
    }

    public static void print(Result r, PrintStream out) {
        out.printf("| sends | sends/s | round trip p50 ms | p90 ms | p99 ms | MCP processes before → after | RSS before → after | errors |%n");
        out.printf("|---:|---:|---:|---:|---:|---|---|---:|%n");
        out.printf("| %d | %.0f | %.2f | %.2f | %.2f | %d → %d | %d MB → %d MB | %d |%n", r.sends(), r.sendsPerSecond(),
                r.roundTrip().p50() / 1000.0, r.roundTrip().p90() / 1000.0, r.roundTrip().p99() / 1000.0,
                r.processesBefore(), r.processesAfter(), r.rssBeforeKb() / 1024, r.rssAfterKb() / 1024, r.errors());
    }
}
