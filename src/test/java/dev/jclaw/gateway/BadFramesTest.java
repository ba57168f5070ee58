package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames that are not valid requests: after the handshake each gets an error naming the problem and
 * the connection keeps working; before it, the connection is closed with the code OpenClaw's clients
 * expect. The gateway serves new connections throughout.
 */
class BadFramesTest extends GatewayTestSupport {

    private record Bad(String frame, String expectedId, String problem) {}

    @Test
    void everyBadFrameAfterTheHandshakeGetsAnErrorNamingItAndTheConnectionLivesOn() throws Exception {
        start(defaultConfig(), o -> o.withLimits(o.limits().withMaxPayload(256 * 1024)));
        List<Bad> corpus = List.of(
                new Bad("this is not json", null, "frame is not JSON"),
                new Bad("{\"type\":\"req\",\"id\":\"t1\",", null, "frame is not JSON"),
                new Bad("[1,2,3]", null, "must be a JSON object, got array"),
                new Bad("42", null, "must be a JSON object"),
                new Bad("{\"id\":\"t2\",\"method\":\"health\"}", "t2", "type must be \"req\""),
                new Bad("{\"type\":\"res\",\"id\":\"t3\",\"ok\":true}", "t3", "type must be \"req\""),
                new Bad("{\"type\":\"req\",\"method\":\"health\"}", null, "id must be a non-empty string"),
                new Bad("{\"type\":\"req\",\"id\":\"\",\"method\":\"health\"}", null, "id must be a non-empty string"),
                new Bad("{\"type\":\"req\",\"id\":\"t4\"}", "t4", "method must be a non-empty string"),
                new Bad("{\"type\":\"req\",\"id\":\"t5\",\"method\":\"no.such.method\"}", "t5", "unknown method: no.such.method"),
                new Bad("{\"type\":\"req\",\"id\":\"t6\",\"method\":\"agent\",\"params\":{\"message\":\"hi\",\"idempotencyKey\":\"k\",\"timeout\":\"soon\"}}",
                        "t6", "invalid agent params: at /timeout: must be an integer >= 0"),
                new Bad("{\"type\":\"req\",\"id\":\"t7\",\"method\":\"agent\",\"params\":{\"idempotencyKey\":\"k\"}}", "t7",
                        "invalid agent params: must have required property 'message'"),
                new Bad("{\"type\":\"req\",\"id\":\"t8\",\"method\":\"health\",\"params\":{\"bogus\":1}}", "t8",
                        "invalid health params: at root: unexpected property 'bogus'"),
                new Bad("{\"type\":\"req\",\"id\":\"t9\",\"method\":\"sessions.list\",\"params\":[1]}", "t9",
                        "invalid sessions.list params: at root: must be an object"),
                new Bad("{\"type\":\"req\",\"id\":\"t10\",\"method\":\"chat.history\",\"params\":{\"sessionKey\":\"agent:\"}}", "t10",
                        "chat.history"),
                new Bad("{\"type\":\"req\",\"id\":\"t11\",\"method\":\"connect\",\"params\":{}}", "t11", "connect was already accepted"),
                new Bad("{\"type\":\"req\",\"id\":\"t12\",\"method\":\"agent\",\"params\":{\"message\":\"x\",\"idempotencyKey\":\"k2\",\"agentId\":\"zz\"}}",
                        "t12", "unknown agent 'zz'"),
                new Bad("{\"type\":\"req\",\"id\":\"big-1\",\"method\":\"health\",\"params\":{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}}",
                        "big-1", "frame too large"));
        try (WsProbe probe = client()) {
            for (Bad bad : corpus) {
                int responses = countResponses(probe);
                probe.sendRaw(bad.frame());
                JsonNode answer = probe.nth(f -> "res".equals(f.path("type").asText()), responses + 1, Duration.ofSeconds(10));
                assertThat(answer.path("ok").asBoolean()).as(bad.frame()).isFalse();
                assertThat(answer.path("error").path("code").asText()).as(bad.frame()).isEqualTo("INVALID_REQUEST");
                assertThat(answer.path("error").path("message").asText()).as(bad.frame()).contains(bad.problem());
                if (bad.expectedId() == null) assertThat(answer.path("id").isNull()).as(bad.frame()).isTrue();
                else assertThat(answer.path("id").asText()).as(bad.frame()).isEqualTo(bad.expectedId());
                JsonNode health = probe.call("health", null);
                assertThat(health.path("ok").asBoolean()).as("the connection still works after " + bad.frame()).isTrue();
            }
            int responses = countResponses(probe);
            probe.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
            JsonNode binary = probe.nth(f -> "res".equals(f.path("type").asText()), responses + 1, Duration.ofSeconds(10));
            assertThat(binary.path("error").path("message").asText()).contains("binary frames");
            assertThat(probe.call("health", null).path("ok").asBoolean()).isTrue();
        }
        try (WsProbe fresh = client("operator.read")) {
            assertThat(fresh.call("health", null).path("ok").asBoolean()).as("the gateway serves new connections").isTrue();
        }
    }

    private static int countResponses(WsProbe probe) {
        return (int) probe.seen().stream().filter(f -> "res".equals(f.path("type").asText())).count();
    }

    @Test
    void aFirstRequestOtherThanConnectIsAnsweredThenTheConnectionClosesWith1008() throws Exception {
        start();
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            JsonNode answer = probe.call("health", null);
            assertThat(answer.path("error").path("message").asText()).isEqualTo("invalid handshake: first request must be connect");
            assertThat(probe.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void garbageBeforeConnectClosesTheConnectionWith1008NamingTheProblem() throws Exception {
        start();
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            probe.sendRaw("hello?");
            assertThat(probe.awaitClose()).isEqualTo(1008);
            assertThat(probe.closeReason.get(5, TimeUnit.SECONDS)).contains("not JSON");
        }
    }

    @Test
    void aWrongTokenIsRefusedWithOpenClawsMismatchDetailsThenClose1008() throws Exception {
        start();
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            JsonNode answer = probe.call("connect", WsProbe.connectParams("wrong-token", "operator.read"));
            assertThat(answer.path("ok").asBoolean()).isFalse();
            assertThat(answer.path("error").path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(answer.path("error").path("message").asText()).startsWith("unauthorized: gateway token mismatch");
            assertThat(answer.path("error").path("details").path("code").asText()).isEqualTo("AUTH_TOKEN_MISMATCH");
            assertThat(answer.path("error").path("details").path("recommendedNextStep").asText()).isEqualTo("update_auth_credentials");
            assertThat(answer.toString()).doesNotContain(TOKEN);
            assertThat(probe.awaitClose()).isEqualTo(1008);
        }
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            JsonNode answer = probe.call("connect", WsProbe.connectParams(null, "operator.read"));
            assertThat(answer.path("error").path("details").path("code").asText()).isEqualTo("AUTH_TOKEN_MISSING");
            assertThat(probe.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void protocolsThreeAndFourAreSpokenAndOthersGetAMismatchThenClose1002() throws Exception {
        start();
        for (int[] range : new int[][] {{3, 3}, {4, 4}, {1, 9}}) {
            try (WsProbe probe = WsProbe.open(ws())) {
                probe.next();
                var params = WsProbe.connectParams(TOKEN, "operator.read").put("minProtocol", range[0]).put("maxProtocol", range[1]);
                JsonNode hello = probe.call("connect", params);
                assertThat(hello.path("payload").path("protocol").asInt()).isEqualTo(Math.min(range[1], 4));
            }
        }
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            JsonNode answer = probe.call("connect", WsProbe.connectParams(TOKEN).put("minProtocol", 5).put("maxProtocol", 6));
            assertThat(answer.path("error").path("message").asText()).isEqualTo("protocol mismatch");
            assertThat(answer.path("error").path("details").path("expectedProtocol").asInt()).isEqualTo(4);
            assertThat(probe.awaitClose()).isEqualTo(1002);
        }
    }

    @Test
    void invalidConnectParamsAreNamedThenClose1008() throws Exception {
        start();
        Map<String, String> cases = Map.of(
                "{\"minProtocol\":3,\"maxProtocol\":4}", "must have required property 'client'",
                "{\"minProtocol\":3,\"maxProtocol\":4,\"client\":{\"id\":\"cli\",\"version\":\"1\",\"platform\":\"linux\"}}",
                "at /client: must have required property 'mode'",
                "{\"minProtocol\":3,\"maxProtocol\":4,\"client\":{\"id\":\"nobody\",\"version\":\"1\",\"platform\":\"linux\",\"mode\":\"cli\"}}",
                "at /client/id: must be one of",
                "{\"minProtocol\":3,\"maxProtocol\":4,\"role\":\"node\",\"client\":{\"id\":\"cli\",\"version\":\"1\",\"platform\":\"linux\",\"mode\":\"cli\"}}",
                "role \"node\" is not supported");
        for (var c : cases.entrySet()) {
            try (WsProbe probe = WsProbe.open(ws())) {
                probe.next();
                probe.sendRaw("{\"type\":\"req\",\"id\":\"c1\",\"method\":\"connect\",\"params\":" + c.getKey() + "}");
                JsonNode answer = probe.response("c1");
                assertThat(answer.path("error").path("message").asText()).as(c.getKey()).contains(c.getValue());
                assertThat(probe.awaitClose()).isEqualTo(1008);
            }
        }
    }

    @Test
    void aConnectionThatNeverConnectsIsClosedAfterTheHandshakeTimeout() throws Exception {
        start(defaultConfig(), o -> o.withLimits(o.limits().withHandshakeTimeout(Duration.ofMillis(500))));
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            assertThat(probe.awaitClose()).isEqualTo(1008);
            assertThat(probe.closeReason.get(5, TimeUnit.SECONDS)).contains("connect timeout");
        }
    }

    @Test
    void aFrameLargerThanThePreConnectLimitIsRefusedAndTheConnectionClosed() throws Exception {
        start();
        try (WsProbe probe = WsProbe.open(ws())) {
            probe.next();
            probe.sendRaw("{\"type\":\"req\",\"id\":\"c9\",\"method\":\"connect\",\"params\":{\"pad\":\"" + "y".repeat(100_000) + "\"}}");
            JsonNode answer = probe.response("c9");
            assertThat(answer.path("error").path("message").asText()).contains("frame too large").contains("before connect");
            assertThat(probe.awaitClose()).isEqualTo(1008);
        }
    }
}
