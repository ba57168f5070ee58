package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading is cut off once its unsent frames pass the per-connection bound; it
 * never makes the gateway hold more, and the other clients are served throughout.
 */
class SlowConsumerTest extends GatewayTestSupport {

    @Test
    void aClientThatStopsReadingIsCutOffAtTheBufferBoundWhileOthersAreServed() throws Exception {
        long bound = 1024 * 1024;
        start(defaultConfig(), o -> o.withLimits(o.limits().withMaxBufferedBytes(bound).withSendTimeout(Duration.ofSeconds(3))));
        try (WsProbe fast = client()) {
            String big = "x".repeat(50_000);
            String id = fast.request("agent", Map.of("message", big, "sessionKey", "big", "idempotencyKey", UUID.randomUUID().toString()));
            assertThat(fast.response(id, Duration.ofSeconds(20)).path("payload").path("status").asText()).isEqualTo("ok");

            WsProbe slow = WsProbe.notReading(ws());
            slow.sendRaw("{\"type\":\"req\",\"id\":\"c\",\"method\":\"connect\",\"params\":" + WsProbe.connectParams(TOKEN, "operator.read") + "}");
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.clients().peers().size() == 2);
            for (int i = 0; i < 200; i++) {
                slow.sendRaw("{\"type\":\"req\",\"id\":\"h" + i + "\",\"method\":\"chat.history\",\"params\":{\"sessionKey\":\"agent:a:big\"}}");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.clients().size() == 1);
            assertThat(get("/metrics", TOKEN).body()).contains("jclaw_gateway_slow_consumers_total 1.0");
            JsonNode health = fast.call("health", null);
            assertThat(health.path("payload").path("jclaw").path("connections").asInt()).isEqualTo(1);
            slow.socket.abort();
        }
    }

    @Test
    void theOutboxNeverHoldsMoreThanTheBoundPlusOneFrame() throws Exception {
        long bound = 64 * 1024;
        start(defaultConfig(), o -> o.withLimits(o.limits().withMaxBufferedBytes(bound).withSendTimeout(Duration.ofSeconds(30))));
        WsProbe slow = WsProbe.notReading(ws());
        slow.sendRaw("{\"type\":\"req\",\"id\":\"c\",\"method\":\"connect\",\"params\":" + WsProbe.connectParams(TOKEN, "operator.read") + "}");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.clients().peers().size() == 1);
        Connection connection = gateway.clients().all().getFirst();
        long max = 0;
        for (int i = 0; i < 5000 && gateway.clients().size() == 1; i++) {
            slow.sendRaw("{\"type\":\"req\",\"id\":\"h" + i + "\",\"method\":\"config.get\"}");
            max = Math.max(max, connection.queuedCharacters());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.clients().size() == 0);
        assertThat(max).as("characters queued at most").isLessThanOrEqualTo(bound + 16 * 1024);
        slow.socket.abort();
    }
}
