package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolTest extends GatewayTestSupport {

    @Test
    void theChallengeComesFirstThenConnectAnswersHelloOk() throws Exception {
        start();
        try (WsProbe probe = WsProbe.open(ws())) {
            JsonNode challenge = probe.next();
            assertThat(challenge.path("type").asText()).isEqualTo("event");
            assertThat(challenge.path("event").asText()).isEqualTo("connect.challenge");
            assertThat(challenge.path("payload").path("nonce").asText()).isNotBlank();
            assertThat(challenge.has("seq")).as("the challenge carries no seq").isFalse();
            JsonNode hello = probe.call("connect", WsProbe.connectParams(TOKEN, "operator.read"));
            assertThat(hello.path("ok").asBoolean()).as(hello.toString()).isTrue();
            assertThat(hello.path("payload").path("type").asText()).isEqualTo("hello-ok");
            assertThat(hello.path("payload").path("protocol").asInt()).isEqualTo(4);
            assertThat(hello.path("payload").path("policy").path("tickIntervalMs").asLong()).isEqualTo(30_000);
            JsonNode health = probe.call("health", null);
            assertThat(health.path("ok").asBoolean()).as(health.toString()).isTrue();
            assertThat(health.path("payload").path("agents").size()).isEqualTo(2);
        }
    }
}
