package dev.jclaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.config.McpServerConfig;
import dev.jclaw.mcp.McpLease;
import dev.jclaw.mcp.McpRuntimeManager;
import dev.jclaw.mcp.McpServerSpec;
import dev.jclaw.mcp.ScopeKey;
import dev.jclaw.process.ChildProcess;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * MCP tool-call round trip on a warm stdio server through JClaw's whole client stack (lease →
 * SDK client → our transport → supervised child), against a bare JSON-RPC client written here on a
 * plain ProcessBuilder talking to the same server; and cold acquire-to-first-call (spawn,
 * initialize, tools/list, one call).
 */
public final class McpBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Results in microseconds. */
    public record Result(Stats bare, Stats jclaw, Stats cold) {
        public long overheadP50() {
            return jclaw.p50() - bare.p50();
        }
    }

    /**
     * @param server a stdio MCP server offering {@code tool} with a {@code message} string argument
     */
    public static Result run(List<String> server, String tool, int iterations, int warmup, int coldRuns, PrintStream progress) throws Exception {
        Stats bare = bare(server, tool, iterations, warmup);
        progress.printf("  bare JSON-RPC client done%n");
        McpServerSpec spec = McpServerSpec.stdio("bench", server).withScope(McpServerConfig.Scope.SESSION);
        try (ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(null));
             McpRuntimeManager manager = new McpRuntimeManager(supervisor, McpRuntimeManager.Limits.DEFAULT, new SimpleMeterRegistry())) {
            Stats warm;
            try (McpLease lease = manager.acquire("bench", "warm", List.of(spec), Set.of())) {
                if (!lease.failures().isEmpty()) throw lease.failures().values().iterator().next();
                String exposed = "bench__" + tool;
                long[] samples = new long[iterations];
                for (int i = -warmup; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    lease.call(exposed, Map.of("message", "ping " + i), Duration.ofSeconds(10)).result().get(10, TimeUnit.SECONDS);
                    if (i >= 0) samples[i] = (System.nanoTime() - t0) / 1000;
                }
                warm = Stats.of(samples);
            }
            progress.printf("  JClaw client done%n");
            long[] cold = new long[coldRuns];
            for (int i = 0; i < coldRuns; i++) {
                String session = "cold-" + i;
                long t0 = System.nanoTime();
                try (McpLease lease = manager.acquire("bench", session, List.of(spec), Set.of())) {
                    lease.call("bench__" + tool, Map.of("message", "first"), Duration.ofSeconds(30)).result().get(30, TimeUnit.SECONDS);
                    cold[i] = (System.nanoTime() - t0) / 1000;
                }
                manager.retireAndWait(ScopeKey.session(session), Duration.ofSeconds(10));
            }
            progress.printf("  cold starts done%n");
            return new Result(bare, warm, Stats.of(cold));
        }
    }

    /** The baseline: newline-delimited JSON-RPC on the server's pipes, nothing else. */
    private static Stats bare(List<String> server, String tool, int iterations, int warmup) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(server).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(ChildProcess.OWNER_ENV, "bench-bare-" + ProcessHandle.current().pid());
        Process process = builder.start();
        try {
            OutputStream in = process.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            roundTrip(in, out, 0, "initialize", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "bare", "version", "1")));
            in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n".getBytes(StandardCharsets.UTF_8));
            long[] samples = new long[iterations];
            for (int i = -warmup; i < iterations; i++) {
                long t0 = System.nanoTime();
                roundTrip(in, out, i + warmup + 1, "tools/call", Map.of("name", tool, "arguments", Map.of("message", "ping " + i)));
                if (i >= 0) samples[i] = (System.nanoTime() - t0) / 1000;
            }
            return Stats.of(samples);
        } finally {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void roundTrip(OutputStream in, BufferedReader out, int id, String method, Object params) throws Exception {
        in.write((JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            JsonNode message = JSON.readTree(line);
            if (message.path("id").asInt(-1) == id) return;
        }
        throw new IllegalStateException("the server closed stdout before answering " + method);
    }

    public static void print(Result r, PrintStream out) {
        out.println("| client | p50 µs | p90 µs | p99 µs |");
        out.println("|---|---:|---:|---:|");
        out.printf("| bare JSON-RPC over the pipes | %d | %d | %d |%n", r.bare().p50(), r.bare().p90(), r.bare().p99());
        out.printf("| JClaw lease.call (SDK client, supervised child) | %d | %d | %d |%n", r.jclaw().p50(), r.jclaw().p90(), r.jclaw().p99());
        out.printf("%nJClaw's added overhead at p50: %d µs%n", r.overheadP50());
        out.printf("Cold acquire to first call (spawn, initialize, tools/list, call), %d runs: p50 %d ms, max %d ms%n",
                r.cold().count(), r.cold().p50() / 1000, r.cold().max() / 1000);
    }
}
