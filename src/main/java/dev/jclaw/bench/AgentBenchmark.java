package dev.jclaw.bench;

import dev.jclaw.agent.Engine;
import dev.jclaw.agent.RunEvent;
import dev.jclaw.agent.RunRequest;
import dev.jclaw.agent.RunResult;
import dev.jclaw.provider.Providers;
import dev.jclaw.provider.RetryPolicy;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Agent turns per second through the whole engine: each run is a user message, a model turn that
 * calls one MCP tool, the tool call on a warm stdio server, and a final model turn — with lanes,
 * transcript writes (synced per entry) and events — for {@code sessions} sessions at once, against
 * an instant scripted provider on loopback.
 */
public final class AgentBenchmark {
    /** Latencies in microseconds, throughput in runs per second, and where the time of a run went (means, µs). */
    public record Result(int sessions, int runs, double runsPerSecond, Stats latency, double providerTurnMean,
                         double toolCallMean, long errors) {
        /** A run's mean time minus its two model turns and its tool call: lanes, store, transcript, events, loop. */
        public double ownOverheadMean() {
            return latency.mean() - 2 * providerTurnMean - toolCallMean;
        }
    }

    public static Result run(List<String> mcpServer, int sessions, int runsPerSession, int warmupRuns, PrintStream progress)
            throws Exception {
        Path dir = Files.createTempDirectory("jclaw-bench-agent");
        // A new user message gets a tool call; the tool's result gets the final answer.
        try (ScriptedProviderServer provider = ScriptedProviderServer.start(request -> request.messages().getLast().toolResult() == null
                ? ScriptedProviderServer.Reply.toolCall("echo__echo", "{\"message\":\"bench\"}")
                : ScriptedProviderServer.Reply.text("done"))) {
            provider.recording(0); // thousands of large requests: keeping them would be the benchmark's own leak
            Path config = dir.resolve("openclaw.json");
            StringBuilder args = new StringBuilder();
            for (String arg : mcpServer.subList(1, mcpServer.size())) args.append(args.isEmpty() ? "" : ", ").append('"').append(arg).append('"');
            Files.writeString(config, """
                    {
                      models: { providers: { scripted: { api: "openai-completions", baseUrl: "%s", apiKey: "bench" } } },
                      mcp: { servers: { echo: { command: "%s", args: [%s] } } },
                      agents: { defaults: { maxConcurrent: %d }, list: [ { id: "bench", model: "scripted/instant" } ] },
                    }
                    """.formatted(provider.openAiBaseUrl(), mcpServer.getFirst(), args, Math.max(4, sessions)));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Engine engine = Engine.start(config, Map.of("JCLAW_STATE_DIR", dir.resolve("state").toString()),
                    new Engine.Options(c -> Providers.from(c, RetryPolicy.DEFAULT, registry), registry, false))) {
                Map<String, Long> toolStarts = new ConcurrentHashMap<>();
                AtomicLong toolNanos = new AtomicLong();
                AtomicLong toolCount = new AtomicLong();
                engine.agents().addListener(event -> {
                    if (!event.stream().equals(RunEvent.TOOL)) return;
                    String id = event.runId() + event.data().get("toolCallId");
                    if ("start".equals(event.data().get("phase"))) {
                        toolStarts.put(id, System.nanoTime());
                    } else {
                        Long started = toolStarts.remove(id);
                        if (started != null) {
                            toolNanos.addAndGet(System.nanoTime() - started);
                            toolCount.incrementAndGet();
                        }
                    }
                });
                for (int i = 0; i < warmupRuns; i++) {
                    engine.agents().run(RunRequest.of("bench", "warm up").withSessionKey("warmup-" + (i % sessions)));
                }
                progress.printf("  warm-up done (%d runs)%n", warmupRuns);
                Timer providerTurns = registry.find("jclaw.provider.turns").timer();
                long providerCountBefore = providerTurns == null ? 0 : providerTurns.count();
                double providerTotalBefore = providerTurns == null ? 0 : providerTurns.totalTime(TimeUnit.MICROSECONDS);
                toolNanos.set(0);
                toolCount.set(0);
                long[] latencies = new long[sessions * runsPerSession];
                AtomicLong errors = new AtomicLong();
                List<Thread> workers = new ArrayList<>();
                long start = System.nanoTime();
                for (int s = 0; s < sessions; s++) {
                    int session = s;
                    workers.add(Thread.ofVirtual().start(() -> {
                        for (int r = 0; r < runsPerSession; r++) {
                            long t0 = System.nanoTime();
                            try {
                                RunResult result = engine.agents().run(RunRequest.of("bench", "go " + r).withSessionKey("s" + session));
                                if (result.status() != RunResult.Status.OK) errors.incrementAndGet();
                            } catch (InterruptedException e) {
                                return;
                            }
                            latencies[session * runsPerSession + r] = (System.nanoTime() - t0) / 1000;
                        }
                    }));
                }
                for (Thread worker : workers) worker.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                providerTurns = registry.find("jclaw.provider.turns").timer();
                long providerCount = providerTurns.count() - providerCountBefore;
                double providerMean = (providerTurns.totalTime(TimeUnit.MICROSECONDS) - providerTotalBefore) / Math.max(1, providerCount);
                double toolMean = toolNanos.get() / 1000.0 / Math.max(1, toolCount.get());
                if (providerCount != 2L * latencies.length || toolCount.get() != latencies.length) {
                    throw new IllegalStateException("expected 2 model turns and 1 tool call per run, got " + providerCount + " and "
                            + toolCount.get() + " for " + latencies.length + " runs");
                }
                return new Result(sessions, latencies.length, latencies.length / seconds, Stats.of(latencies), providerMean, toolMean, errors.get());
            }
        } finally {
            Scratch.delete(dir);
        }
    }

    public static void print(Result r, PrintStream out) {
        out.printf("| sessions | runs | runs/s | p50 ms | p90 ms | p99 ms | errors |%n|---:|---:|---:|---:|---:|---:|---:|%n");
        out.printf("| %d | %d | %.0f | %.1f | %.1f | %.1f | %d |%n", r.sessions(), r.runs(), r.runsPerSecond(),
                r.latency().p50() / 1000.0, r.latency().p90() / 1000.0, r.latency().p99() / 1000.0, r.errors());
        out.printf("%nA run's mean %.2f ms: 2 model turns × %.2f ms, MCP tool call %.2f ms, JClaw's own work %.2f ms "
                        + "(lanes, session store, 4 synced transcript appends, events, the loop)%n",
                r.latency().mean() / 1000.0, r.providerTurnMean() / 1000.0, r.toolCallMean() / 1000.0, r.ownOverheadMean() / 1000.0);
    }
}
