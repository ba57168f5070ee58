package dev.jclaw.cli;

import dev.jclaw.bench.A2aBenchmark;
import dev.jclaw.bench.AgentBenchmark;
import dev.jclaw.bench.McpBenchmark;
import dev.jclaw.bench.SessionBenchmark;
import dev.jclaw.bench.SpawnBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jclaw bench <what>}: the benchmarks whose results docs/BENCHMARKS.md records. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark on this host.",
        subcommands = {BenchCommand.Spawn.class, BenchCommand.Sessions.class, BenchCommand.Mcp.class, BenchCommand.Agent.class,
                BenchCommand.A2a.class, BenchCommand.Gateway.class, BenchCommand.Tools.class})
final class BenchCommand {

    /** The server given, else the everything server scripts/test-fixtures.sh installs; null (after saying so) when neither. */
    static java.util.List<String> serverOrEverything(java.util.List<String> given, String bench) {
        if (given != null && !given.isEmpty()) return given;
        Path everything = Path.of(".cache/test-fixtures/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        if (!java.nio.file.Files.exists(everything)) {
            System.err.println("jclaw bench " + bench + ": give a stdio MCP server command, or run scripts/test-fixtures.sh for the default one");
            return null;
        }
        return java.util.List.of("node", everything.toAbsolutePath().toString(), "stdio");
    }

    @Command(name = "spawn", mixinStandardHelpOptions = true,
            description = "Spawn-to-first-line and stop time through each launch chain, against a plain ProcessBuilder.")
    static final class Spawn implements Callable<Integer> {
        @Option(names = "--iterations", defaultValue = "200", description = "Measured spawns per variant (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--warmup", defaultValue = "30", description = "Unmeasured spawns first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            System.err.printf("bench spawn: %d iterations after %d warm-up, on %d cores%n", iterations, warmup,
                    Runtime.getRuntime().availableProcessors());
            SpawnBenchmark.print(SpawnBenchmark.run(iterations, warmup, System.err), System.out);
            return 0;
        }
    }

    @Command(name = "sessions", mixinStandardHelpOptions = true,
            description = "Session store: creation, key lookup and listing with many sessions, durable transcript appends, history reads.")
    static final class Sessions implements Callable<Integer> {
        @Option(names = "--sessions", defaultValue = "100000", description = "Sessions in the store (default ${DEFAULT-VALUE}).")
        int sessions;

        @Option(names = "--appends", defaultValue = "5000", description = "Appends per append phase (default ${DEFAULT-VALUE}).")
        int appends;

        @Option(names = "--lookups", defaultValue = "100000", description = "Measured key lookups (default ${DEFAULT-VALUE}).")
        int lookups;

        @Option(names = "--writers", defaultValue = "4", description = "Sessions appended to at once (default ${DEFAULT-VALUE}).")
        int writers;

        @Option(names = "--dir", defaultValue = ".", description = "Folder on the disk to measure; a temporary state dir is made and removed inside it (default: current folder).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            System.err.printf("bench sessions: %d sessions, %d appends, %d lookups, %d writers, in %s, on %d cores%n", sessions, appends,
                    lookups, writers, dir.toAbsolutePath().normalize(), Runtime.getRuntime().availableProcessors());
            SessionBenchmark.print(SessionBenchmark.run(dir, sessions, appends, lookups, writers, System.err), System.out);
            return 0;
        }
    }

    @Command(name = "mcp", mixinStandardHelpOptions = true,
            description = "MCP tool-call round trip through JClaw against a bare JSON-RPC client on the same server; cold start.")
    static final class Mcp implements Callable<Integer> {
        @Option(names = "--iterations", defaultValue = "5000", description = "Measured calls per client (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--warmup", defaultValue = "2000", description = "Unmeasured calls first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--cold", defaultValue = "10", description = "Cold acquire-to-first-call runs (default ${DEFAULT-VALUE}).")
        int cold;

        @Option(names = "--tool", defaultValue = "echo", description = "Tool to call, taking a 'message' string (default ${DEFAULT-VALUE}).")
        String tool;

        @picocli.CommandLine.Parameters(paramLabel = "SERVER", arity = "0..*",
                description = "The stdio server command (default: the everything server installed by scripts/test-fixtures.sh).")
        java.util.List<String> server;

        @Override
        public Integer call() throws Exception {
            java.util.List<String> command = serverOrEverything(server, "mcp");
            if (command == null) return 2;
            System.err.printf("bench mcp: %s, %d calls after %d warm-up, on %d cores%n", String.join(" ", command), iterations, warmup,
                    Runtime.getRuntime().availableProcessors());
            McpBenchmark.print(McpBenchmark.run(command, tool, iterations, warmup, cold, System.err), System.out);
            return 0;
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = "Agent runs per second (one MCP tool call each) with an instant scripted provider, many sessions at once.")
    static final class Agent implements Callable<Integer> {
        @Option(names = "--sessions", defaultValue = "100", description = "Sessions running at once (default ${DEFAULT-VALUE}).")
        int sessions;

        @Option(names = "--runs", defaultValue = "20", description = "Runs per session (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--warmup", defaultValue = "300", description = "Unmeasured runs first (default ${DEFAULT-VALUE}).")
        int warmup;

        @picocli.CommandLine.Parameters(paramLabel = "SERVER", arity = "0..*",
                description = "The stdio MCP server offering echo (default: the everything server from scripts/test-fixtures.sh).")
        java.util.List<String> server;

        @Override
        public Integer call() throws Exception {
            java.util.List<String> command = serverOrEverything(server, "agent");
            if (command == null) return 2;
            System.err.printf("bench agent: %d sessions × %d runs after %d warm-up, on %d cores%n", sessions, runs, warmup,
                    Runtime.getRuntime().availableProcessors());
            AgentBenchmark.print(AgentBenchmark.run(command, sessions, runs, warmup, System.err), System.out);
            return 0;
        }
    }

    @Command(name = "a2a", mixinStandardHelpOptions = true,
            description = "sessions_send round trip across 9 agents with 9 warm MCP servers; processes and RSS before and after.")
    static final class A2a implements Callable<Integer> {
        @Option(names = "--sends", defaultValue = "1000", description = "Measured sends (default ${DEFAULT-VALUE}).")
        int sends;

        @Option(names = "--warmup", defaultValue = "300", description = "Unmeasured sends first (default ${DEFAULT-VALUE}).")
        int warmup;

        @picocli.CommandLine.Parameters(paramLabel = "SERVER", arity = "0..*",
                description = "The stdio MCP server started 9 times (default: the everything server from scripts/test-fixtures.sh).")
        java.util.List<String> server;

        @Override
        public Integer call() throws Exception {
            java.util.List<String> command = serverOrEverything(server, "a2a");
            if (command == null) return 2;
            System.err.printf("bench a2a: %d sends after %d warm-up, on %d cores%n", sends, warmup, Runtime.getRuntime().availableProcessors());
            A2aBenchmark.print(A2aBenchmark.run(command, sends, warmup, System.err), System.out);
            return 0;
        }
    }

    @Command(name = "tools", mixinStandardHelpOptions = true,
            description = "The file tools on a 1 MB file (read, edit) and the confined workspace walk, against plain Java doing the same.")
    static final class Tools implements Callable<Integer> {
        @Option(names = "--iterations", defaultValue = "200", description = "Measured calls per comparison (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--warmup", defaultValue = "50", description = "Unmeasured calls first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            System.err.printf("bench tools: %d iterations after %d warm-up, on %d cores%n", iterations, warmup,
                    Runtime.getRuntime().availableProcessors());
            dev.jclaw.bench.ToolsBenchmark.print(dev.jclaw.bench.ToolsBenchmark.run(iterations, warmup, System.err), System.out);
            return 0;
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
            description = "A real gateway process with 9 agents: start to ready, idle RSS, health round trip, agent turns/s over WebSocket.")
    static final class Gateway implements Callable<Integer> {
        @Option(names = "--starts", defaultValue = "10", description = "Measured starts (default ${DEFAULT-VALUE}).")
        int starts;

        @Option(names = "--idle", defaultValue = "10", description = "Seconds idle before memory is read (default ${DEFAULT-VALUE}).")
        int idleSeconds;

        @Option(names = "--health", defaultValue = "5000", description = "Measured health calls (default ${DEFAULT-VALUE}).")
        int health;

        @Option(names = "--turns", defaultValue = "3000", description = "Agent turns (default ${DEFAULT-VALUE}).")
        int turns;

        @Option(names = "--clients", defaultValue = "8", description = "Connections running turns at once (default ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--launcher", paramLabel = "PATH",
                description = "The jclaw launcher to start gateways with (default: the ./jclaw that runs this, else this JVM's java and classpath).")
        String launcher;

        @Override
        public Integer call() throws Exception {
            String l = launcher != null ? launcher : System.getenv("JCLAW_LAUNCHER");
            java.util.List<String> launch = l != null ? java.util.List.of(l) : dev.jclaw.bench.GatewayBenchmark.sameJvm();
            System.err.printf("bench gateway: launching %s, %d starts, %d health calls, %d turns on %d connections, on %d cores%n",
                    String.join(" ", launch).length() > 120 ? launch.getFirst() + " …" : String.join(" ", launch), starts, health, turns, clients,
                    Runtime.getRuntime().availableProcessors());
            dev.jclaw.bench.GatewayBenchmark.print(dev.jclaw.bench.GatewayBenchmark.run(new dev.jclaw.bench.GatewayBenchmark.Options(launch,
                    starts, java.time.Duration.ofSeconds(idleSeconds), health, turns, clients), System.err), System.out);
            return 0;
        }
    }
}
