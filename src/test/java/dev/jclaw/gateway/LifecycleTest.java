package dev.jclaw.gateway;

import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway as a process: one per port and state dir, a bounded SIGTERM, a SIGKILL cleaned up by the next start. */
class LifecycleTest {
    static final String TOKEN = "lifecycle-token-42";

    @TempDir
    Path home;

    private Map<String, String> env(String state, String... extra) throws Exception {
        String server = Fixtures.resource("fixtures/fake-mcp-server.mjs").toString();
        Path config = home.resolve("openclaw.json");
        if (!Files.exists(config)) {
            Files.writeString(config, """
                    {
                      agents: { list: [ { id: "a", default: true } ] },
                      mcp: { servers: { fake: { command: "node", args: [ "%s", "--exit-on-eof=no" ], scope: "session" } } },
                      gateway: { auth: { mode: "token", token: "%s" } }
                    }
                    """.formatted(server, TOKEN));
        }
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("JCLAW_STATE_DIR", home.resolve(state).toString());
        env.put("JCLAW_CONFIG", config.toString());
        for (int i = 0; i < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
        return env;
    }

    @Test
    void aSecondGatewayOnTheSamePortFailsFastNamingThePort() throws Exception {
        int port = GatewayProcess.freePort();
        try (GatewayProcess first = GatewayProcess.start(home, env("state-1"), "--port", Integer.toString(port))) {
            long began = System.nanoTime();
            GatewayProcess.Result second = GatewayProcess.run(home, env("state-2"), Duration.ofSeconds(30), "gateway", "run", "--port",
                    Integer.toString(port));
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.err()).contains("port " + port).contains("in use");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
            assertThat(first.process.isAlive()).isTrue();
        }
    }

    @Test
    void aSecondGatewayOnTheSameStateDirFailsFastNamingTheHolder() throws Exception {
        try (GatewayProcess first = GatewayProcess.start(home, env("state"), "--port", Integer.toString(GatewayProcess.freePort()))) {
            GatewayProcess.Result second = GatewayProcess.run(home, env("state"), Duration.ofSeconds(30), "gateway", "run", "--port",
                    Integer.toString(GatewayProcess.freePort()));
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.err()).contains("is in use by another JClaw process").contains("pid " + first.process.pid());
            assertThat(first.process.isAlive()).isTrue();
        }
    }

    @Test
    void aBindBeyondLoopbackWithoutAuthIsRefusedAtStart() throws Exception {
        Path config = home.resolve("open.json");
        Files.writeString(config, "{ agents: { list: [ { id: \"a\" } ] } }");
        Map<String, String> env = env("state", "JCLAW_CONFIG", config.toString());
        GatewayProcess.Result refused = GatewayProcess.run(home, env, Duration.ofSeconds(30), "gateway", "run", "--bind", "lan", "--port",
                Integer.toString(GatewayProcess.freePort()));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("refusing to listen on 0.0.0.0").contains("without auth");
    }

    @Test
    void sigtermWithTwentyLiveMcpRuntimesExitsWithinTheBoundLeavingNothingRunning() throws Exception {
        GatewayProcess gateway = GatewayProcess.start(home, env("state"), "--port", Integer.toString(GatewayProcess.freePort()));
        try (gateway) {
            String owner = gateway.owner(TOKEN);
            openRuntimes(gateway, 20);
            assertThat(Procs.treesOf(owner)).as("one fake MCP server per session").hasSizeGreaterThanOrEqualTo(20);

            long began = System.nanoTime();
            gateway.process.destroy(); // SIGTERM
            assertThat(gateway.process.waitFor(15, TimeUnit.SECONDS)).as("exited").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertThat(took).as("exit within the 10 s bound").isLessThan(Duration.ofSeconds(10));
            assertThat(Procs.ownedBy(owner)).as("nothing of the gateway left running").isEmpty();
            assertThat(gateway.log()).contains("gateway stopped");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "namespace"})
    void afterASigkillTheNextStartSweepsWhatTheKilledGatewayLeft(String chain) throws Exception {
        Map<String, String> env = env("state", "JCLAW_LAUNCH_CHAIN", chain);
        GatewayProcess killed = GatewayProcess.start(home, env, "--port", Integer.toString(GatewayProcess.freePort()));
        String owner;
        try (killed) {
            owner = killed.owner(TOKEN);
            openRuntimes(killed, 5);
            assertThat(Procs.treesOf(owner)).hasSizeGreaterThanOrEqualTo(5);
            killed.process.destroyForcibly(); // SIGKILL: no hook, no close
            assertThat(killed.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        if (chain.equals("session")) assertThat(Procs.ownedBy(owner)).as("plain setsid: the servers outlive their gateway").isNotEmpty();
        try (GatewayProcess next = GatewayProcess.start(home, env, "--port", Integer.toString(GatewayProcess.freePort()))) {
            assertThat(Procs.awaitNoneOwnedBy(owner, Duration.ofSeconds(3))).as("swept at start").isEmpty();
            String nextOwner = next.owner(TOKEN);
            openRuntimes(next, 1);
            next.process.destroy();
            assertThat(next.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(Procs.ownedBy(nextOwner)).isEmpty();
        } finally {
            for (Procs.Proc p : Procs.ownedBy(owner)) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Starts {@code n} session-scoped MCP runtimes through /tools/invoke, 4 at a time. */
    private static void openRuntimes(GatewayProcess gateway, int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/tools/invoke"))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tool\":\"fake__echo\",\"args\":{\"message\":\"m\"},\"sessionKey\":\"s" + i + "\"}"))
                    .build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            if (calls.size() % 4 == 0) CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }
}
