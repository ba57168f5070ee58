package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.agent.RunRequest;
import dev.jclaw.agent.RunResult;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one policy function as clients see it: {@code tools.effective}, the CLI, and what a run is really offered. */
class ToolPolicyGatewayTest extends GatewayTestSupport {

    private static String config() {
        return """
                {
                  tools: { profile: "messaging", alsoAllow: ["sessions_spawn"] },
                  agents: { list: [
                    { id: "a", default: true, model: "mock/echo" },
                    { id: "b", model: "mock/echo", tools: { deny: ["sessions_send"], byProvider: { mock: { deny: ["session_status"] } } } },
                  ] },
                  models: { providers: { mock: { baseUrl: "${PROVIDER}", apiKey: "test", api: "openai-completions" } } },
                  gateway: { auth: { mode: "token", token: "%s" } }
                }
                """.formatted(TOKEN);
    }

    @Test
    void toolsEffectiveExplainsEachToolAndMatchesWhatARunIsOfferedAndWhatTheCliPrints() throws Exception {
        start(config(), o -> o);
        JsonNode payload;
        try (WsProbe probe = client("operator.read")) {
            payload = probe.call("tools.effective", Map.of("agentId", "b")).path("payload");
        }
        assertThat(payload.path("agentId").asText()).isEqualTo("b");
        assertThat(payload.path("profile").asText()).isEqualTo("messaging");
        assertThat(payload.path("model").asText()).isEqualTo("mock/echo");
        List<String> offered = payload.path("groups").get(0).path("tools").findValuesAsText("id");
        assertThat(offered).containsExactly("sessions_list", "sessions_history", "sessions_spawn");
        JsonNode send = find(payload, "sessions_send");
        assertThat(send.path("status").asText()).isEqualTo("excluded");
        assertThat(send.path("reasons").get(0).path("kind").asText()).isEqualTo("deny");
        assertThat(send.path("reasons").get(0).path("label").asText()).isEqualTo(
                "denied by agents.list[1].tools.deny[0] \"sessions_send\" (deny always wins)");
        assertThat(find(payload, "session_status").path("reasons").get(0).path("label").asText())
                .contains("agents.list[1].tools.byProvider.mock.deny[0]");
        assertThat(find(payload, "exec").path("reasons").get(0).path("label").asText())
                .isEqualTo("profile \"messaging\" (tools.profile) does not include it");

        // A run of b is offered exactly those tools.
        provider.script(r -> Reply.text("ok"));
        var result = gateway.engine().agents().run(RunRequest.of("b", "hi"));
        assertThat(result.status()).as(result.error()).isEqualTo(RunResult.Status.OK);
        assertThat(provider.requests().getLast().toolNames()).containsExactlyElementsOf(offered);

        // The CLI computes the same answer from the same config and state dir.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run("tools", "effective", "--agent", "b", "--json", "--config", configFile.toString(),
                    "--state-dir", env.get("JCLAW_STATE_DIR"));
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        assertThat(WsProbe.JSON.readTree(out.toString(StandardCharsets.UTF_8))).isEqualTo(payload);
    }

    private static JsonNode find(JsonNode payload, String tool) {
        for (JsonNode t : payload.path("toolAccess").path("tools")) if (t.path("id").asText().equals(tool)) return t;
        throw new AssertionError("no " + tool + " in " + payload);
    }

}
