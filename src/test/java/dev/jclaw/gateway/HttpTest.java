package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP on the gateway's port, with a real HTTP client. */
class HttpTest extends GatewayTestSupport {

    static String configWithMcp() {
        String server = Fixtures.resource("fixtures/fake-mcp-server.mjs").toString().replace("\\", "\\\\");
        return """
                {
                  agents: { list: [ { id: "a", default: true, model: "mock/echo" }, { id: "b", model: "mock/echo" } ] },
                  models: { providers: { mock: { baseUrl: "${PROVIDER}", apiKey: "test", api: "openai-completions", models: [ { id: "echo" } ] } } },
                  mcp: { servers: { fake: { command: "node", args: [ "%s" ], scope: "session" } } },
                  gateway: { auth: { mode: "token", token: "%s" } }
                }
                """.formatted(server, TOKEN);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return WsProbe.JSON.readTree(response.body());
    }

    @Test
    void healthAndStartupAreOpenAndSayTheGatewayIsUp() throws Exception {
        start();
        HttpResponse<String> health = get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("ok").asBoolean()).isTrue();
        HttpResponse<String> startup = get("/startupz", null);
        assertThat(startup.statusCode()).isEqualTo(200);
        assertThat(json(startup).path("status").asText()).isEqualTo("started");
        HttpResponse<String> nowhere = get("/nowhere", null);
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).contains("/nowhere");
    }

    @Test
    void metricsNeedTheTokenAndCoverRunsLanesMcpProcessesAndTheJvm() throws Exception {
        start(configWithMcp(), o -> o);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "wrong").statusCode()).isEqualTo(401);
        post("/tools/invoke", TOKEN, "{\"tool\":\"fake__echo\",\"args\":{\"message\":\"m\"},\"sessionKey\":\"metrics\"}");
        try (WsProbe probe = client()) {
            probe.response(probe.request("agent", java.util.Map.of("message", "hi", "idempotencyKey", "metrics-1")), java.time.Duration.ofSeconds(20));
        }
        HttpResponse<String> metrics = get("/metrics", TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("jclaw_runs_total{", "jclaw_runs_active", "jclaw_runs_duration_seconds",
                "jclaw_lanes_active{lane=\"main\"}", "jclaw_mcp_runtimes_live", "jclaw_mcp_processes_live", "jclaw_process_children_live",
                "jclaw_process_spawned_total", "jclaw_gateway_connections", "jclaw_gateway_requests_total{", "jvm_memory_used_bytes",
                "process_uptime_seconds");
    }

    @Test
    void modelsListEveryAgentUnderBothPrefixes() throws Exception {
        start();
        assertThat(get("/v1/models", null).statusCode()).isEqualTo(401);
        JsonNode models = json(get("/v1/models", TOKEN));
        assertThat(models.path("data")).extracting(m -> m.path("id").asText())
                .contains("openclaw", "openclaw/a", "openclaw/b", "jclaw/a", "jclaw/b");
    }

    @Test
    void chatCompletionsRunTheAgentTheModelNames() throws Exception {
        start();
        HttpResponse<String> response = post("/v1/chat/completions", TOKEN,
                "{\"model\":\"jclaw/b\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"ping\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("echo: ping");
        assertThat(body.path("model").asText()).isEqualTo("openclaw/b");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isPositive();

        HttpResponse<String> badModel = post("/v1/chat/completions", TOKEN, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(badModel.statusCode()).isEqualTo(400);
        assertThat(badModel.body()).contains("openclaw/<agentId>");
        HttpResponse<String> unknown = post("/v1/chat/completions", TOKEN, "{\"model\":\"openclaw/zz\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(unknown.body()).contains("unknown agent 'zz'");
        HttpResponse<String> noUser = post("/v1/chat/completions", TOKEN, "{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}");
        assertThat(noUser.body()).contains("Missing user message");
        assertThat(post("/v1/chat/completions", null, "{}").statusCode()).isEqualTo(401);
        HttpResponse<String> notJson = post("/v1/chat/completions", TOKEN, "{nope");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not JSON");
    }

    @Test
    void aStreamedCompletionArrivesAsServerSentEventsEndingWithDone() throws Exception {
        start();
        HttpResponse<String> response = post("/v1/chat/completions", TOKEN,
                "{\"model\":\"openclaw/a\",\"stream\":true,\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = WsProbe.JSON.readTree(e);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            text.append(chunk.path("choices").get(0).path("delta").path("content").asText(""));
        }
        assertThat(text.toString()).isEqualTo("echo: stream me");
        assertThat(WsProbe.JSON.readTree(events.get(events.size() - 2)).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        try (WsProbe probe = client("operator.read")) {
            JsonNode sessions = probe.call("sessions.list", java.util.Map.of()).path("payload").path("sessions");
            assertThat(sessions).extracting(s -> s.path("key").asText()).contains("agent:a:openai-user:alice");
        }
    }

    @Test
    void toolsInvokeCallsBuiltinAndMcpToolsOfTheSessionAndRepeatsNothingForAnIdempotencyKey() throws Exception {
        start(configWithMcp(), o -> o);
        assertThat(post("/tools/invoke", null, "{\"tool\":\"session_status\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> builtin = post("/tools/invoke", TOKEN, "{\"tool\":\"session_status\",\"sessionKey\":\"main\"}");
        assertThat(builtin.statusCode()).as(builtin.body()).isEqualTo(200);
        assertThat(json(builtin).path("result").path("text").asText()).contains("agent:a:main");

        HttpResponse<String> echo = post("/tools/invoke", TOKEN, "{\"tool\":\"fake__echo\",\"args\":{\"message\":\"hello mcp\"},\"sessionKey\":\"s1\"}");
        assertThat(echo.statusCode()).as(echo.body()).isEqualTo(200);
        assertThat(json(echo).path("result").path("text").asText()).contains("hello mcp");

        String pidCall = "{\"tool\":\"fake__pid\",\"sessionKey\":\"s1\",\"idempotencyKey\":\"once\"}";
        String first = json(post("/tools/invoke", TOKEN, pidCall)).path("result").path("text").asText();
        String again = json(post("/tools/invoke", TOKEN, pidCall)).path("result").path("text").asText();
        assertThat(again).isEqualTo(first);

        try (WsProbe probe = client("operator.read")) {
            JsonNode mcp = probe.call("mcp.status", java.util.Map.of()).path("payload");
            assertThat(mcp.path("runtimes")).extracting(r -> r.path("scopeKey").asText()).anyMatch(k -> k.contains("agent:a:s1"));
            assertThat(mcp.path("liveProcesses").asInt()).isEqualTo(1);
        }
        HttpResponse<String> missing = post("/tools/invoke", TOKEN, "{\"tool\":\"no_such_tool\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no_such_tool").contains("fake__echo").contains("session_status");
        assertThat(post("/tools/invoke", TOKEN, "{\"args\":{}}").body()).contains("requires name");
        assertThat(post("/tools/invoke", TOKEN, "{\"tool\":\"x\",\"agentId\":\"nobody\"}").statusCode()).isEqualTo(400);
        String hugeBody = "{\"tool\":\"x\",\"pad\":\"" + "z".repeat(3 * 1024 * 1024) + "\"}";
        for (int i = 0; i < 20; i++) { // the 413 must reach a client still sending, every time (no reset)
            HttpResponse<String> huge = post("/tools/invoke", TOKEN, hugeBody);
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(huge.body()).contains("payload too large");
        }
        try (HttpClient asking = HttpClient.newHttpClient()) {
            HttpResponse<String> askedFirst = asking.send(HttpRequest.newBuilder(http("/tools/invoke"))
                    .expectContinue(true).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(hugeBody)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(askedFirst.statusCode()).as("Expect: 100-continue gets the refusal before sending").isEqualTo(413);
        }
        assertThat(Procs.ownedBy(gateway.engine().supervisor().instanceId())).isNotEmpty();
    }
}
