package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Many clients at once, each running agent turns: every one gets both answers, in order, and nothing is left over. */
class ConcurrencyTest extends GatewayTestSupport {
    static final int CLIENTS = Integer.getInteger("jclaw.test.clients", 200);
    static final int TURNS = 2;

    @Test
    void twoHundredConnectionsEachRunningTurnsAllGetTheirFinalAnswers() throws Exception {
        start("""
                {
                  agents: { defaults: { maxConcurrent: 16 }, list: [ { id: "a", default: true, model: "mock/echo" }, { id: "b", model: "mock/echo" } ] },
                  models: { providers: { mock: { baseUrl: "${PROVIDER}", apiKey: "test", api: "openai-completions", models: [ { id: "echo" } ] } } },
                  gateway: { auth: { mode: "token", token: "%s" } }
                }
                """.formatted(TOKEN), o -> o);
        List<WsProbe> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WsProbe>> opening = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) opening.add(pool.submit(() -> WsProbe.lean(ws(), TOKEN, "operator.write")));
            for (Future<WsProbe> f : opening) clients.add(f.get(60, TimeUnit.SECONDS));
            assertThat(gateway.clients().size()).isEqualTo(CLIENTS);

            long began = System.nanoTime();
            List<Future<List<String>>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                WsProbe probe = clients.get(c);
                String agent = c % 2 == 0 ? "a" : "b";
                String session = "load-" + c;
                running.add(pool.submit((Callable<List<String>>) () -> {
                    List<String> texts = new ArrayList<>();
                    for (int t = 0; t < TURNS; t++) {
                        String id = probe.request("agent", Map.of("message", "turn " + t + " of " + session, "agentId", agent,
                                "sessionKey", session, "idempotencyKey", UUID.randomUUID().toString()));
                        assertThat(probe.response(id).path("payload").path("status").asText()).isEqualTo("accepted");
                        JsonNode fin = probe.response(id, Duration.ofSeconds(120));
                        assertThat(fin.path("payload").path("status").asText()).as(fin.toString()).isEqualTo("ok");
                        texts.add(fin.path("payload").path("result").path("payloads").get(0).path("text").asText());
                    }
                    return texts;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            for (int c = 0; c < CLIENTS; c++) {
                List<String> texts = running.get(c).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                for (int t = 0; t < TURNS; t++) assertThat(texts.get(t)).isEqualTo("echo: turn " + t + " of load-" + c);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            System.out.printf("%d clients x %d turns: %d ms, %.0f turns/s%n", CLIENTS, TURNS, took.toMillis(),
                    CLIENTS * TURNS / (took.toNanos() / 1e9));
        }
        for (WsProbe probe : clients) {
            assertThat(probe.seqGaps.get()).as("event seq from 1 without gaps").isZero();
            assertThat(probe.events.get()).as("every client sees the runs' events").isGreaterThan(CLIENTS * TURNS);
        }
        JsonNode health = clients.getFirst().call("health", null).path("payload");
        assertThat(health.path("jclaw").path("runsActive").asInt()).isZero();
        assertThat(health.path("sessions").path("count").asLong()).isEqualTo(CLIENTS);
        clients.forEach(WsProbe::close);
    }
}
