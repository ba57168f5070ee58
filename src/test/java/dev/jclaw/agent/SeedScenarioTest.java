package dev.jclaw.agent;

import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest;
import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenClaw issue #70364, replayed: 9 agents, 9 stdio MCP servers, agent-to-agent on, visibility
 * all; agent a calls {@code sessions_send} to b…i in rotation, 100 times. In OpenClaw every send
 * left a cohort of MCP processes behind (9 → 18 → 27 …). Here the count follows the scope policy
 * and nothing accumulates: checked through /proc after every send and after a settle period.
 */
class SeedScenarioTest extends EngineTestSupport {
    private static final List<String> AGENTS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i");
    private final String marker = UUID.randomUUID().toString();

    private enum Layout { GLOBAL, PER_AGENT }

    /** A fake MCP server carrying this test's marker, as a JSON5 server entry. */
    private String server(String name, String scope) {
        List<String> command = Fixtures.fakeMcpServer("--exit-on-eof=no");
        StringBuilder args = new StringBuilder();
        for (String arg : command.subList(1, command.size())) args.append(args.isEmpty() ? "" : ", ").append('"').append(arg).append('"');
        return name + ": { command: \"" + command.getFirst() + "\", args: [" + args + "], env: { SEED_MARKER: \"" + marker + "\" }"
                + (scope == null ? "" : ", scope: \"" + scope + "\"") + " },";
    }

    private Engine fleet(Layout layout, String scope, String extraAgents) throws Exception {
        return fleet(layout, scope, extraAgents, "");
    }

    /** @param aFields extra JSON5 fields of agent a */
    private Engine fleet(Layout layout, String scope, String extraAgents, String aFields) throws Exception {
        StringBuilder global = new StringBuilder();
        StringBuilder agents = new StringBuilder();
        for (int n = 0; n < AGENTS.size(); n++) {
            String id = AGENTS.get(n);
            if (layout == Layout.GLOBAL) global.append(server("s" + (n + 1), scope));
            String own = layout == Layout.PER_AGENT ? ", mcp: { servers: { " + server("s" + (n + 1), scope) + " } }" : "";
            agents.append("{ id: \"").append(id).append("\", model: \"scripted/").append(id).append("\"").append(own)
                    .append(id.equals("a") ? aFields : "").append(" },\n");
        }
        return engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  tools: { agentToAgent: { enabled: true }, sessions: { visibility: "all" } },
                  mcp: { servers: { %s } },
                  agents: { list: [ %s %s ] },
                }
                """.formatted(global, agents, extraAgents));
    }

    /** a sends to b…i in rotation; targets answer; a and targets skip ping-pong and announcements. */
    private void seedScript() {
        provider.script(r -> {
            String last = r.lastUserText();
            ScriptedRequest.Message m = r.messages().getLast();
            if (last.startsWith("[")) return Reply.text("REPLY_SKIP");
            if (last.contains("Announce its outcome")) return Reply.text("ANNOUNCE_SKIP");
            if (!r.model().equals("a")) return Reply.text("pong from " + r.model() + ": " + last);
            if (m.toolResult() != null) return Reply.text("a heard: " + m.toolResult().content());
            int n = Integer.parseInt(last.substring("go ".length()));
            return Reply.toolCall("sessions_send", "{\"sessionKey\":\"agent:" + AGENTS.get(1 + n % 8) + ":main\",\"message\":\"ping " + n + "\"}");
        });
    }

    /** Host pids of the running server processes of this test (node itself, not its launch-chain wrappers). */
    private Set<Integer> serverPids() {
        return Procs.withEnv("SEED_MARKER", marker).stream().filter(p -> p.command().startsWith("node "))
                .map(Procs.Proc::pid).collect(Collectors.toSet());
    }

    /**
     * The reporter's count, {@code pgrep -f <server script>}: every live process whose command line
     * names the server script, among those carrying this test's marker (so another test's servers
     * do not count). A launch chain's wrappers would be counted here: they repeat the command line.
     */
    private List<Procs.Proc> processesNamingTheServer() {
        String script = Fixtures.fakeMcpServer().get(1);
        return Procs.withEnv("SEED_MARKER", marker).stream().filter(p -> p.command().contains(script)).toList();
    }

    /** Waits until no run has been active for a whole second (background ping-pong and announce included). */
    private void settle() throws InterruptedException {
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos()) {
            if (!engine.agents().active().isEmpty()) quietSince = System.nanoTime();
            assertThat(System.nanoTime()).as("runs still going after 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void warmUpEveryAgent() throws Exception {
        for (String id : AGENTS) engine.agents().run(RunRequest.of(id, "[warm up]"));
        settle();
    }

    private void aHundredSendsKeepTheSameNineServers(Layout layout) throws Exception {
        fleet(layout, null, "");
        seedScript();
        warmUpEveryAgent();
        Set<Integer> pids = serverPids();
        assertThat(pids).hasSize(9);
        int threads = Procs.threads();
        int fds = Procs.openFds();

        for (int n = 0; n < 100; n++) {
            RunResult result = engine.agents().run(RunRequest.of("a", "go " + n));
            assertThat(result.status()).as("send %d: %s", n, result.error()).isEqualTo(RunResult.Status.OK);
            assertThat(result.text()).as("send %d", n).contains("pong from " + AGENTS.get(1 + n % 8) + ": ping " + n);
            assertThat(serverPids()).as("MCP server processes after send %d", n).isEqualTo(pids);
            assertThat(processesNamingTheServer()).as("pgrep -f <server script> after send %d", n).hasSize(9);
        }
        settle();

        assertThat(serverPids()).isEqualTo(pids);
        assertThat(processesNamingTheServer()).as("pgrep -f <server script>: one process per server").hasSize(9);
        assertThat(Procs.helpersOf(engine.supervisor().instanceId())).as("the supervisor's helpers").hasSizeLessThanOrEqualTo(1);
        assertThat(leases()).isZero();
        assertThat(engine.mcp().liveProcesses()).isEqualTo(9);
        assertThat(Procs.zombieChildren()).isEmpty();
        assertThat(Procs.threads()).as("threads (before: %d)", threads).isLessThanOrEqualTo(threads + 8);
        assertThat(Procs.openFds()).as("fds (before: %d)", fds).isLessThanOrEqualTo(fds + 8);
    }

    @Test
    void globalServersAsTheReporterDeclaredThemStayNineProcessesThroughAHundredSends() throws Exception {
        aHundredSendsKeepTheSameNineServers(Layout.GLOBAL);
    }

    @Test
    void perAgentServersStayNineProcessesThroughAHundredSends() throws Exception {
        aHundredSendsKeepTheSameNineServers(Layout.PER_AGENT);
    }

    @Test
    void sessionScopedServersNeverExceedSessionsTouchedTimesServersAndDoNotGrowPerSend() throws Exception {
        fleet(Layout.GLOBAL, "session", "");
        seedScript();
        engine.agents().run(RunRequest.of("a", "[warm up]"));
        settle();
        assertThat(serverPids()).hasSize(9); // a's session

        Set<String> touched = new java.util.HashSet<>(Set.of("a"));
        for (int n = 0; n < 100; n++) {
            RunResult result = engine.agents().run(RunRequest.of("a", "go " + n));
            assertThat(result.status()).as("send %d: %s", n, result.error()).isEqualTo(RunResult.Status.OK);
            touched.add(AGENTS.get(1 + n % 8));
            assertThat(serverPids().size()).as("after send %d", n).isLessThanOrEqualTo(touched.size() * 9);
        }
        settle();

        assertThat(serverPids()).hasSize(touched.size() * 9); // 9 sessions × 9 servers: OpenClaw's 81, and no more, ever
        assertThat(leases()).isZero();
    }

    @Test
    void fiftyRunModeSubagentsLeaveNothingBehind() throws Exception {
        String worker = "{ id: \"w\", model: \"scripted/w\", mcp: { servers: { " + server("scratch", "session") + " } } },";
        fleet(Layout.GLOBAL, null, worker, ", subagents: { allowAgents: [\"w\"] }");
        provider.script(r -> {
            String last = r.lastUserText();
            if (r.model().equals("w")) return Reply.text("worked on " + last);
            if (last.startsWith("[sub-agent")) return Reply.text("ANNOUNCE_SKIP");
            if (last.equals("[warm up]")) return Reply.text("ready");
            ScriptedRequest.Message m = r.messages().getLast();
            if (m.toolResult() != null) return Reply.text(m.toolResult().content().contains("\"accepted\"") ? "spawned" : m.toolResult().content());
            return Reply.toolCall("sessions_spawn", "{\"task\":\"" + last + "\",\"agentId\":\"w\",\"mode\":\"run\"}");
        });
        engine.agents().run(RunRequest.of("a", "[warm up]"));
        settle();
        Set<Integer> gatewayServers = serverPids();

        List<RunResult> results = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            results.add(engine.agents().run(RunRequest.of("a", "task " + n).withSessionKey("spawner-" + (n % 10))));
            assertThat(serverPids().size()).as("after spawn %d", n).isLessThanOrEqualTo(gatewayServers.size() + 5 * 10);
        }
        settle();

        assertThat(results).allMatch(r -> r.status() == RunResult.Status.OK && r.text().equals("spawned"));
        assertThat(provider.requests().stream().filter(r -> r.model().equals("w")).count()).isEqualTo(50);
        assertThat(serverPids()).as("only the gateway-scoped servers remain").isEqualTo(gatewayServers);
        assertThat(leases()).isZero();
    }

    @Test
    void nestedChainsWithFanOutFiveRepeatedAHundredTimesKeepNineServers() throws Exception {
        fleet(Layout.GLOBAL, null, "");
        provider.script(r -> {
            String last = r.lastUserText();
            ScriptedRequest.Message m = r.messages().getLast();
            if (last.startsWith("[")) return Reply.text("REPLY_SKIP");
            if (last.contains("Announce its outcome")) return Reply.text("ANNOUNCE_SKIP");
            if (m.toolResult() != null) return Reply.text(r.model() + " done");
            return switch (r.model()) {
                case "a" -> Reply.toolCalls(List.of("b", "c", "d", "e", "f").stream()
                        .map(t -> new Reply.Call("sessions_send", "{\"sessionKey\":\"agent:" + t + ":main\",\"message\":\"relay\"}"))
                        .toArray(Reply.Call[]::new));
                case "b", "c", "d", "e", "f" -> Reply.toolCall("sessions_send", "{\"sessionKey\":\"agent:g:main\",\"message\":\"leaf\"}");
                default -> Reply.text("leaf reply from " + r.model());
            };
        });
        warmUpEveryAgent();
        Set<Integer> pids = serverPids();

        for (int n = 0; n < 100; n++) {
            RunResult result = engine.agents().run(RunRequest.of("a", "chain " + n));
            assertThat(result.status()).as("chain %d: %s", n, result.error()).isEqualTo(RunResult.Status.OK);
            assertThat(result.text()).isEqualTo("a done");
            assertThat(serverPids()).as("after chain %d", n).isEqualTo(pids);
        }
        settle();

        long leaves = provider.requests().stream().filter(r -> r.model().equals("g") && r.lastUserText().equals("leaf")).count();
        assertThat(leaves).isGreaterThanOrEqualTo(100); // requests() keeps the last 1000; every chain reached g 5 times
        assertThat(serverPids()).isEqualTo(pids);
        assertThat(leases()).isZero();
    }
}
