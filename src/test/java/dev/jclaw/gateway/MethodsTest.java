package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every method over a real WebSocket, and the events they cause. */
class MethodsTest extends GatewayTestSupport {
    private static final Duration RUN = Duration.ofSeconds(20);

    private static boolean isEvent(JsonNode f, String name) {
        return "event".equals(f.path("type").asText()) && name.equals(f.path("event").asText());
    }

    @Test
    void agentAnswersTwiceOnOneIdAcceptedThenFinalAndEveryClientSeesItsEventsInSeqOrder() throws Exception {
        start();
        try (WsProbe runner = client(); WsProbe watcher = client("operator.read")) {
            String id = runner.request("agent", Map.of("message", "hello", "agentId", "a", "deliver", false, "timeout", 600,
                    "idempotencyKey", UUID.randomUUID().toString()));
            JsonNode accepted = runner.response(id);
            assertThat(accepted.path("ok").asBoolean()).as(accepted.toString()).isTrue();
            assertThat(accepted.path("payload").path("status").asText()).isEqualTo("accepted");
            assertThat(accepted.path("payload").path("sessionKey").asText()).isEqualTo("agent:a:main");
            assertThat(accepted.path("payload").path("agentId").asText()).isEqualTo("a");
            String runId = accepted.path("payload").path("runId").asText();

            JsonNode done = runner.response(id, RUN);
            assertThat(done.path("ok").asBoolean()).isTrue();
            JsonNode payload = done.path("payload");
            assertThat(payload.path("runId").asText()).isEqualTo(runId);
            assertThat(payload.path("status").asText()).isEqualTo("ok");
            assertThat(payload.path("summary").asText()).isEqualTo("completed");
            assertThat(payload.path("result").path("payloads").get(0).path("text").asText()).isEqualTo("echo: hello");
            assertThat(payload.path("result").path("meta").path("finalAssistantVisibleText").asText()).isEqualTo("echo: hello");

            for (WsProbe probe : List.of(runner, watcher)) {
                JsonNode chatFinal = probe.next(f -> isEvent(f, "chat") && "final".equals(f.path("payload").path("state").asText()), RUN);
                assertThat(chatFinal.path("payload").path("message").path("content").get(0).path("text").asText()).isEqualTo("echo: hello");
                List<JsonNode> agentEvents = probe.seen().stream().filter(f -> isEvent(f, "agent")
                        && runId.equals(f.path("payload").path("runId").asText())).toList();
                assertThat(agentEvents).extracting(f -> f.path("payload").path("stream").asText())
                        .contains("lifecycle", "assistant");
                assertThat(agentEvents.getFirst().path("payload").path("data").path("phase").asText()).isEqualTo("start");
                assertThat(agentEvents.getLast().path("payload").path("data").path("phase").asText()).isEqualTo("end");
                List<Long> seqs = probe.seen().stream().filter(f -> "event".equals(f.path("type").asText()) && f.has("seq"))
                        .map(f -> f.get("seq").asLong()).toList();
                List<Long> expected = new ArrayList<>();
                for (long i = 1; i <= seqs.size(); i++) expected.add(i);
                assertThat(seqs).as("per-connection seq from 1 without gaps").isEqualTo(expected);
            }
        }
    }

    @Test
    void aRetriedAgentRequestJoinsTheFirstRunAndAReusedKeyForAnotherRequestIsRefused() throws Exception {
        start();
        try (WsProbe probe = client()) {
            String key = UUID.randomUUID().toString();
            Map<String, Object> params = Map.of("message", "sleep:300", "agentId", "a", "idempotencyKey", key);
            String first = probe.request("agent", params);
            String second = probe.request("agent", params);
            String runId = probe.response(first).path("payload").path("runId").asText();
            JsonNode secondAccepted = probe.response(second);
            assertThat(secondAccepted.path("payload").path("runId").asText()).isEqualTo(runId);
            JsonNode final1 = probe.response(first, RUN);
            JsonNode final2 = probe.response(second, RUN);
            assertThat(final1.path("payload").path("runId").asText()).isEqualTo(runId);
            assertThat(final2.path("payload").path("runId").asText()).isEqualTo(runId);

            JsonNode third = probe.call("agent", params);
            assertThat(third.path("payload").path("status").asText()).as("a retry after the end gets the final answer").isEqualTo("ok");
            assertThat(third.path("payload").path("runId").asText()).isEqualTo(runId);

            JsonNode history = probe.call("chat.history", Map.of("sessionKey", "agent:a:main"));
            assertThat(history.path("payload").path("messages")).as("one run, one user message").hasSize(2);

            JsonNode conflict = probe.call("agent", Map.of("message", "something else", "agentId", "a", "idempotencyKey", key));
            assertThat(conflict.path("ok").asBoolean()).isFalse();
            assertThat(conflict.path("error").path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(conflict.path("error").path("message").asText()).contains("already used for a different request");
        }
    }

    @Test
    void agentWaitReportsTheOutcomeOfARunAndTimesOutOnARunStillGoing() throws Exception {
        start();
        try (WsProbe probe = client()) {
            String id = probe.request("agent", Map.of("message", "sleep:1500", "idempotencyKey", UUID.randomUUID().toString()));
            String runId = probe.response(id).path("payload").path("runId").asText();
            JsonNode early = probe.call("agent.wait", Map.of("runId", runId, "timeoutMs", 100));
            assertThat(early.path("payload").path("status").asText()).isEqualTo("timeout");
            JsonNode done = probe.call("agent.wait", Map.of("runId", runId, "timeoutMs", 15_000));
            assertThat(done.path("payload").path("status").asText()).isEqualTo("ok");
            assertThat(done.path("payload").path("endedAt").asLong()).isGreaterThanOrEqualTo(done.path("payload").path("startedAt").asLong());
            JsonNode unknown = probe.call("agent.wait", Map.of("runId", "no-such-run"));
            assertThat(unknown.path("ok").asBoolean()).isFalse();
            assertThat(unknown.path("error").path("message").asText()).contains("no-such-run").contains("not found");
        }
    }

    @Test
    void chatSendStartsARunWhoseReplyArrivesAsChatEventsAndLandsInTheHistory() throws Exception {
        start();
        try (WsProbe probe = client()) {
            String key = UUID.randomUUID().toString();
            JsonNode ack = probe.call("chat.send", Map.of("sessionKey", "main", "message", "hi there", "idempotencyKey", key));
            assertThat(ack.path("payload").path("status").asText()).isEqualTo("started");
            String runId = ack.path("payload").path("runId").asText();
            JsonNode dup = probe.call("chat.send", Map.of("sessionKey", "main", "message", "hi there", "idempotencyKey", key));
            assertThat(dup.path("payload").path("runId").asText()).isEqualTo(runId);
            assertThat(dup.path("payload").path("status").asText()).isIn("in_flight", "ok");
            JsonNode fin = probe.next(f -> isEvent(f, "chat") && "final".equals(f.path("payload").path("state").asText()), RUN);
            assertThat(fin.path("payload").path("runId").asText()).isEqualTo(runId);
            assertThat(fin.path("payload").path("sessionKey").asText()).isEqualTo("agent:a:main");
            probe.next(f -> isEvent(f, "sessions.changed"), RUN);

            JsonNode history = probe.call("chat.history", Map.of("sessionKey", "agent:a:main", "limit", 10));
            JsonNode messages = history.path("payload").path("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
            assertThat(messages.get(0).path("content").get(0).path("text").asText()).isEqualTo("hi there");
            assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
            assertThat(messages.get(1).path("content").get(0).path("text").asText()).isEqualTo("echo: hi there");
            assertThat(history.path("payload").path("sessionId").asText()).isNotBlank();
        }
    }

    @Test
    void chatAbortEndsTheRunItNamesAndReportsIt() throws Exception {
        start();
        try (WsProbe probe = client()) {
            JsonNode ack = probe.call("chat.send", Map.of("sessionKey", "agent:b:work", "message", "sleep:20000",
                    "idempotencyKey", UUID.randomUUID().toString()));
            String runId = ack.path("payload").path("runId").asText();
            JsonNode wrongSession = probe.call("chat.abort", Map.of("sessionKey", "agent:b:main", "runId", runId));
            assertThat(wrongSession.path("error").path("message").asText()).contains("runId does not match sessionKey");
            JsonNode aborted = probe.call("chat.abort", Map.of("sessionKey", "agent:b:work", "runId", runId));
            assertThat(aborted.path("payload").path("aborted").asBoolean()).isTrue();
            assertThat(aborted.path("payload").path("runIds")).extracting(JsonNode::asText).containsExactly(runId);
            JsonNode event = probe.next(f -> isEvent(f, "chat") && runId.equals(f.path("payload").path("runId").asText())
                    && !"delta".equals(f.path("payload").path("state").asText()), RUN);
            assertThat(event.path("payload").path("state").asText()).isEqualTo("aborted");
            JsonNode waited = probe.call("agent.wait", Map.of("runId", runId, "timeoutMs", 5000));
            assertThat(waited.path("payload").path("status").asText()).isEqualTo("timeout");
            assertThat(waited.path("payload").path("aborted").asBoolean()).isTrue();
            JsonNode nothing = probe.call("chat.abort", Map.of("sessionKey", "agent:b:work"));
            assertThat(nothing.path("payload").path("aborted").asBoolean()).isFalse();
        }
    }

    @Test
    void sessionsAreListedResolvedResetAndDeletedAndEachChangeIsAnnounced() throws Exception {
        start();
        try (WsProbe probe = client()) {
            runTurn(probe, "agent:b:notes", "remember this");
            JsonNode list = probe.call("sessions.list", Map.of("agentId", "b"));
            assertThat(list.path("payload").path("sessions")).extracting(s -> s.path("key").asText()).containsExactly("agent:b:notes");
            assertThat(list.path("payload").path("defaults").path("defaultAgentId").asText()).isEqualTo("a");

            JsonNode resolved = probe.call("sessions.resolve", Map.of("key", "notes", "agentId", "b"));
            assertThat(resolved.path("payload").path("ok").asBoolean()).isTrue();
            assertThat(resolved.path("payload").path("key").asText()).isEqualTo("agent:b:notes");
            String sessionId = resolved.path("payload").path("sessionId").asText();
            JsonNode byId = probe.call("sessions.resolve", Map.of("sessionId", sessionId));
            assertThat(byId.path("payload").path("key").asText()).isEqualTo("agent:b:notes");
            JsonNode missing = probe.call("sessions.resolve", Map.of("key", "agent:b:nothing", "allowMissing", true));
            assertThat(missing.path("payload").path("ok").asBoolean()).isFalse();
            JsonNode missingError = probe.call("sessions.resolve", Map.of("key", "agent:b:nothing"));
            assertThat(missingError.path("error").path("message").asText()).contains("agent:b:nothing");

            JsonNode reset = probe.call("sessions.reset", Map.of("key", "agent:b:notes"));
            assertThat(reset.path("payload").path("entry").path("sessionId").asText()).isNotEqualTo(sessionId);
            JsonNode changed = probe.next(f -> isEvent(f, "sessions.changed") && "reset".equals(f.path("payload").path("reason").asText()), RUN);
            assertThat(changed.path("payload").path("sessionKey").asText()).isEqualTo("agent:b:notes");
            JsonNode afterReset = probe.call("chat.history", Map.of("sessionKey", "agent:b:notes"));
            assertThat(afterReset.path("payload").path("messages")).isEmpty();

            JsonNode deleted = probe.call("sessions.delete", Map.of("key", "agent:b:notes"));
            assertThat(deleted.path("payload").path("deleted").asBoolean()).isTrue();
            probe.next(f -> isEvent(f, "sessions.changed") && "delete".equals(f.path("payload").path("reason").asText()), RUN);
            assertThat(probe.call("sessions.list", Map.of("agentId", "b")).path("payload").path("sessions")).isEmpty();
        }
    }

    @Test
    void methodsNeedTheirScopes() throws Exception {
        start();
        try (WsProbe reader = client("operator.read"); WsProbe writer = client("operator.write")) {
            JsonNode refused = reader.call("chat.send", Map.of("sessionKey", "main", "message", "x", "idempotencyKey", "k1"));
            assertThat(refused.path("error").path("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(refused.path("error").path("details").path("code").asText()).isEqualTo("MISSING_SCOPE");
            assertThat(refused.path("error").path("message").asText()).contains("operator.write");
            JsonNode deleteByWriter = writer.call("sessions.delete", Map.of("key", "main"));
            assertThat(deleteByWriter.path("error").path("message").asText()).contains("operator.admin");
            assertThat(writer.call("health", null).path("ok").asBoolean()).as("write implies read").isTrue();
        }
    }

    @Test
    void healthStatusPresenceModelsConfigAndMcpStatusAnswerInOpenClawsShapes() throws Exception {
        start();
        try (WsProbe probe = client("operator.read"); WsProbe other = client("operator.read")) {
            JsonNode health = probe.call("health", null).path("payload");
            assertThat(health.path("ok").asBoolean()).isTrue();
            assertThat(health.path("defaultAgentId").asText()).isEqualTo("a");
            assertThat(health.path("agents")).extracting(a -> a.path("agentId").asText()).containsExactly("a", "b");

            JsonNode status = probe.call("status", Map.of("includeChannelSummary", false, "includeCliProjection", true)).path("payload");
            assertThat(status.path("sessions").path("byAgent").isArray()).isTrue();
            assertThat(status.path("channelSummary").isArray()).isTrue();
            assertThat(status.path("cliProjection").path("agents").path("rows")).hasSize(2);

            JsonNode presence = probe.call("system-presence", null).path("payload");
            assertThat(presence).hasSize(2);

            JsonNode models = probe.call("models.list", Map.of()).path("payload").path("models");
            assertThat(models).anySatisfy(m -> {
                assertThat(m.path("provider").asText()).isEqualTo("mock");
                assertThat(m.path("id").asText()).isEqualTo("echo");
                assertThat(m.path("agents")).extracting(JsonNode::asText).containsExactly("a", "b");
            });

            JsonNode config = probe.call("config.get", Map.of());
            assertThat(config.toString()).as("the token never leaves the gateway").doesNotContain(TOKEN).contains("<redacted>");
            assertThat(config.path("payload").path("config").path("agents").isMissingNode()).isFalse();

            JsonNode mcp = probe.call("mcp.status", Map.of()).path("payload");
            assertThat(mcp.path("runtimes").isArray()).isTrue();
            assertThat(mcp.path("liveProcesses").asInt()).isZero();
        }
    }

    @Test
    void ticksArriveOnTheirIntervalAndShutdownIsAnnouncedThenTheConnectionCloses() throws Exception {
        start(defaultConfig(), o -> o.withTickInterval(Duration.ofMillis(200)));
        WsProbe probe = client("operator.read");
        JsonNode tick = probe.next(f -> isEvent(f, "tick"), Duration.ofSeconds(5));
        assertThat(tick.path("payload").path("ts").asLong()).isPositive();
        assertThat(tick.path("seq").asLong()).isPositive();
        gateway.close();
        JsonNode shutdown = probe.next(f -> isEvent(f, "shutdown"), Duration.ofSeconds(5));
        assertThat(shutdown.path("payload").path("reason").asText()).isNotBlank();
        assertThat(probe.awaitClose()).isEqualTo(1012);
    }

    @Test
    void anAgentRunningAtShutdownGetsItsFinalAnswerAbortedBeforeTheConnectionCloses() throws Exception {
        start();
        WsProbe probe = client();
        String id = probe.request("agent", Map.of("message", "sleep:60000", "idempotencyKey", UUID.randomUUID().toString()));
        probe.response(id);
        long began = System.nanoTime();
        gateway.close();
        JsonNode fin = probe.response(id, Duration.ofSeconds(5));
        assertThat(fin.path("payload").path("status").asText()).isEqualTo("timeout");
        assertThat(fin.path("payload").path("summary").asText()).isEqualTo("aborted");
        assertThat(probe.awaitClose()).isEqualTo(1012);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
    }

    private static void runTurn(WsProbe probe, String sessionKey, String message) throws Exception {
        String id = probe.request("agent", Map.of("message", message, "sessionKey", sessionKey, "idempotencyKey", UUID.randomUUID().toString()));
        probe.response(id);
        JsonNode fin = probe.response(id, RUN);
        assertThat(fin.path("payload").path("status").asText()).as(fin.toString()).isEqualTo("ok");
    }
}
