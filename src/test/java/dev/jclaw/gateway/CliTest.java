package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** JClaw's own client commands, run as an operator would (child JVMs), against a running gateway and without one. */
class CliTest extends GatewayTestSupport {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Map<String, String> cliEnv() {
        Map<String, String> e = new HashMap<>(env);
        e.put("JCLAW_CONFIG", configFile.toString());
        return e;
    }

    private GatewayProcess.Result jclaw(String... args) throws Exception {
        return GatewayProcess.run(home, cliEnv(), LIMIT, args);
    }

    private String port() {
        return Integer.toString(gateway.port());
    }

    @Test
    void gatewayCallPrintsThePayloadOrOpenClawsErrorShape() throws Exception {
        start();
        GatewayProcess.Result health = jclaw("gateway", "call", "health", "--json", "--port", port());
        assertThat(health.exit()).as(health.err()).isZero();
        assertThat(WsProbe.JSON.readTree(health.out()).path("agents")).hasSize(2);

        GatewayProcess.Result unknown = jclaw("gateway", "call", "no.such.method", "--json", "--port", port());
        assertThat(unknown.exit()).isEqualTo(1);
        JsonNode error = WsProbe.JSON.readTree(unknown.out()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("gateway_request_error");
        assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("message").asText()).isEqualTo("unknown method: no.such.method");

        GatewayProcess.Result agent = jclaw("gateway", "call", "agent", "--params", "{\"message\":\"via call\",\"idempotencyKey\":\"cli-1\"}",
                "--json", "--port", port());
        assertThat(agent.exit()).as(agent.err()).isZero();
        assertThat(WsProbe.JSON.readTree(agent.out()).path("result").path("payloads").get(0).path("text").asText()).isEqualTo("echo: via call");

        GatewayProcess.Result badParams = jclaw("gateway", "call", "health", "--params", "{nope", "--port", port());
        assertThat(badParams.exit()).isEqualTo(2);
        assertThat(badParams.err()).contains("--params is not JSON");
    }

    @Test
    void statusHealthAndMcpStatusDescribeTheRunningGateway() throws Exception {
        start();
        GatewayProcess.Result status = jclaw("status", "--json", "--port", port());
        assertThat(status.exit()).as(status.err()).isZero();
        JsonNode s = WsProbe.JSON.readTree(status.out());
        assertThat(s.path("gateway").path("reachable").asBoolean()).isTrue();
        assertThat(s.path("sessions").path("byAgent")).hasSize(2);
        GatewayProcess.Result text = jclaw("status", "--port", port());
        assertThat(text.out()).contains("Gateway").contains("MCP").contains("Sessions");

        GatewayProcess.Result health = jclaw("health", "--port", port());
        assertThat(health.exit()).as(health.err()).isZero();
        assertThat(health.out()).contains("Gateway healthy").contains("agent a");

        GatewayProcess.Result mcp = jclaw("mcp", "status", "--json", "--port", port());
        assertThat(mcp.exit()).as(mcp.err()).isZero();
        assertThat(WsProbe.JSON.readTree(mcp.out()).path("runtimes").isArray()).isTrue();
    }

    @Test
    void theCliSendsTheTokenTheLocalGatewayResolvedEvenWithAnotherInTheEnvironment() throws Exception {
        start(); // gateway.auth.token is set in the config: the gateway uses it whatever the environment says
        Map<String, String> e = cliEnv();
        e.put("JCLAW_GATEWAY_TOKEN", "a-stale-token-from-the-shell");

        GatewayProcess.Result status = GatewayProcess.run(home, e, LIMIT, "health", "--json", "--port", port());

        assertThat(status.exit()).as(status.err()).isZero();
    }

    @Test
    void withNoGatewayStatusReportsUnreachableHealthAndMcpStatusFail() throws Exception {
        start();
        String nobody = Integer.toString(GatewayProcess.freePort());
        GatewayProcess.Result status = jclaw("status", "--json", "--port", nobody);
        assertThat(status.exit()).isZero();
        assertThat(WsProbe.JSON.readTree(status.out()).path("gateway").path("reachable").asBoolean()).isFalse();
        GatewayProcess.Result health = jclaw("health", "--port", nobody);
        assertThat(health.exit()).isEqualTo(1);
        assertThat(health.err()).contains("no gateway answers");
        GatewayProcess.Result mcp = jclaw("mcp", "status", "--port", nobody);
        assertThat(mcp.exit()).isEqualTo(1);
        assertThat(mcp.err()).contains("jclaw gateway");
    }

    @Test
    void agentGoesThroughTheGatewayStreamingTheReply() throws Exception {
        start();
        GatewayProcess.Result json = jclaw("agent", "--message", "through the gateway", "--agent", "b", "--json", "--port", port());
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode result = WsProbe.JSON.readTree(json.out());
        assertThat(result.path("status").asText()).isEqualTo("ok");
        assertThat(result.path("result").path("meta").path("agentMeta").path("sessionKey").asText()).isEqualTo("agent:b:main");

        GatewayProcess.Result text = jclaw("agent", "-m", "streamed", "--session-key", "chat-1", "--port", port());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out().strip()).isEqualTo("echo: streamed");
        try (WsProbe probe = client("operator.read")) {
            assertThat(probe.call("sessions.resolve", Map.of("key", "chat-1")).path("payload").path("ok").asBoolean())
                    .as("the run happened in the gateway").isTrue();
        }
    }

    @Test
    void agentRefusesToRunInProcessWhileAGatewayHoldsTheStateDir() throws Exception {
        start();
        String nobody = Integer.toString(GatewayProcess.freePort());
        GatewayProcess.Result run = jclaw("agent", "--message", "x", "--port", nobody);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("is in use by another JClaw process").contains("--url / --port");
        GatewayProcess.Result local = jclaw("agent", "--message", "x", "--local");
        assertThat(local.exit()).isEqualTo(1);
        assertThat(local.err()).contains("--local cannot run");
    }

    @Test
    void agentRunsInProcessWhenNoGatewayRuns() throws Exception {
        start();
        gateway.close(); // the state dir is free again; the scripted provider still answers
        GatewayProcess.Result run = jclaw("agent", "--message", "in process", "--json", "--port", Integer.toString(GatewayProcess.freePort()));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(WsProbe.JSON.readTree(run.out()).path("result").path("payloads").get(0).path("text").asText()).isEqualTo("echo: in process");
    }

    @Test
    void gatewayInstallWritesAUserUnitThatKillsTheWholeControlGroup() throws Exception {
        start();
        Path units = home.resolve("units");
        GatewayProcess.Result install = jclaw("gateway", "install", "--unit-dir", units.toString(), "--port", "18999");
        assertThat(install.exit()).as(install.err()).isZero();
        String unit = Files.readString(units.resolve("jclaw-gateway.service"));
        assertThat(unit).contains("KillMode=control-group", "ExecStart=", "gateway run --port 18999", "JCLAW_CONFIG=" + configFile,
                "WantedBy=default.target");
        assertThat(install.out()).contains("systemctl --user enable --now jclaw-gateway.service");
        GatewayProcess.Result again = jclaw("gateway", "install", "--unit-dir", units.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("--force");
    }
}
