package dev.jclaw.agent;

import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionQuery;
import dev.jclaw.session.TranscriptMessage;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The session tools as agents use them, through the scripted model, with OpenClaw's policies. */
class SessionToolsTest extends EngineTestSupport {

    /** Agents a, b, c, each on its own scripted model, with the given tools and session sections (JSON5). */
    private Engine agents(String tools, String session, String extraAgentFields) throws Exception {
        return engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  tools: { %s },
                  session: { %s },
                  agents: { list: [
                    { id: "a", model: "scripted/a" %s },
                    { id: "b", model: "scripted/b" },
                    { id: "c", model: "scripted/c" },
                  ] },
                }
                """.formatted(tools, session, extraAgentFields));
    }

    /** b and c answer "pong from <id>", skip ping-pong and announcements. */
    private static Reply target(ScriptedRequest r) {
        String last = r.lastUserText();
        if (last.startsWith("[")) return Reply.text("REPLY_SKIP");
        if (last.contains("Announce its outcome")) return Reply.text("ANNOUNCE_SKIP");
        return Reply.text("pong from " + r.model() + " to: " + last);
    }

    /** Agent a calls {@code tool} once with {@code args}, then answers with the tool's result; b and c as {@link #target}. */
    private void script(String tool, String args, Function<ScriptedRequest, Reply> a) {
        provider.script(r -> {
            if (!r.model().equals("a")) return target(r);
            if (a != null) return a.apply(r);
            ScriptedRequest.Message last = r.messages().getLast();
            if (last.toolResult() != null) return Reply.text("tool said: " + last.toolResult().content());
            if (last.text().startsWith("[")) return Reply.text("REPLY_SKIP");
            return Reply.toolCall(tool, args);
        });
    }

    @Test
    void sessionsSendRunsTheTargetTurnWithTheSenderNamedAndReturnsItsReply() throws Exception {
        agents("agentToAgent: { enabled: true }, sessions: { visibility: \"all\" }", "", "");
        script("sessions_send", "{\"sessionKey\":\"agent:b:main\",\"message\":\"hello b\"}", null);

        RunResult result = engine.agents().run(RunRequest.of("a", "talk to b"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunResult.Status.OK);
        assertThat(result.text()).contains("\"status\":\"ok\"").contains("pong from b to: hello b");
        ScriptedRequest toB = provider.requests().stream().filter(r -> r.model().equals("b")).findFirst().orElseThrow();
        assertThat(toB.systemPrompt()).contains("from agent 'a' (session agent:a:main) through sessions_send");
        TranscriptMessage.User received = (TranscriptMessage.User) engine.store().history(SessionKey.parse("agent:b:main"), 10)
                .entries().getFirst().message();
        assertThat(received.provenance()).containsEntry("kind", "inter_session").containsEntry("sourceSessionKey", "agent:a:main");
    }

    @Test
    void withoutAgentToAgentAnotherAgentsSessionIsRefusedWithWhatWouldAllowIt() throws Exception {
        agents("", "", "");
        script("sessions_send", "{\"sessionKey\":\"agent:b:main\",\"message\":\"hello b\"}", null);

        RunResult result = engine.agents().run(RunRequest.of("a", "talk to b"));

        assertThat(result.text()).contains("forbidden").contains("tools.sessions.visibility").contains("agentToAgent");
        assertThat(provider.requests()).noneMatch(r -> r.model().equals("b"));
    }

    @Test
    void theAllowListOfAgentToAgentIsEnforcedForBothAgents() throws Exception {
        agents("agentToAgent: { enabled: true, allow: [\"a\", \"b\"] }, sessions: { visibility: \"all\" }", "", "");
        script("sessions_send", "{\"sessionKey\":\"agent:c:main\",\"message\":\"hello c\"}", null);

        RunResult toC = engine.agents().run(RunRequest.of("a", "talk to c"));

        assertThat(toC.text()).contains("forbidden");
        assertThat(provider.requests()).noneMatch(r -> r.model().equals("c"));
    }

    @Test
    void timeoutZeroAnswersAcceptedAtOnceAndTheTargetRunsInTheBackground() throws Exception {
        agents("agentToAgent: { enabled: true }, sessions: { visibility: \"all\" }", "", "");
        script("sessions_send", "{\"sessionKey\":\"agent:b:main\",\"message\":\"later\",\"timeoutSeconds\":0}", null);

        RunResult result = engine.agents().run(RunRequest.of("a", "fire and forget"));

        assertThat(result.text()).contains("\"status\":\"accepted\"").contains("runId");
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.store().history(SessionKey.parse("agent:b:main"), 10).entries().size() >= 2);
    }

    @Test
    void aTargetThatDoesNotAnswerInTimeIsReportedAsTimeout() throws Exception {
        agents("agentToAgent: { enabled: true }, sessions: { visibility: \"all\" }", "", "");
        provider.script(r -> {
            if (r.model().equals("b")) return Reply.hang();
            ScriptedRequest.Message last = r.messages().getLast();
            if (last.toolResult() != null) return Reply.text("tool said: " + last.toolResult().content());
            return Reply.toolCall("sessions_send", "{\"sessionKey\":\"agent:b:main\",\"message\":\"slow\",\"timeoutSeconds\":1}");
        });

        RunResult result = engine.agents().run(RunRequest.of("a", "go"));

        assertThat(result.text()).contains("\"status\":\"timeout\"");
    }

    @Test
    void pingPongAlternatesUpToTheLimitThenTheTargetAnnounces() throws Exception {
        agents("agentToAgent: { enabled: true }, sessions: { visibility: \"all\" }", "agentToAgent: { maxPingPongTurns: 3 }", "");
        provider.script(r -> {
            String last = r.lastUserText();
            if (r.model().equals("b")) {
                if (last.contains("Announce its outcome")) return Reply.text("b announces: all done");
                return Reply.text("b says more");
            }
            ScriptedRequest.Message m = r.messages().getLast();
            if (m.toolResult() != null) return Reply.text("sent");
            if (last.startsWith("[b replied]")) return Reply.text("a says more");
            return Reply.toolCall("sessions_send", "{\"sessionKey\":\"agent:b:main\",\"message\":\"start\"}");
        });

        engine.agents().run(RunRequest.of("a", "go"));

        // b: the first reply, then ping-pong turns 2 (b) of 3, then the announce; a: its run's 2 turns + ping-pong turns 1 and 3
        await().atMost(Duration.ofSeconds(20)).until(() -> provider.requests().stream().anyMatch(r -> r.lastUserText().contains("Announce")));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.agents().active().isEmpty());
        List<String> userTexts = engine.store().history(SessionKey.parse("agent:b:main"), 50).entries().stream()
                .filter(e -> e.message() instanceof TranscriptMessage.User).map(e -> ((TranscriptMessage.User) e.message()).content().toString()).toList();
        assertThat(userTexts).hasSize(3); // "start", "[a replied] a says more", the announce request
        long aTurns = provider.requests().stream().filter(r -> r.model().equals("a")).count();
        assertThat(aTurns).isEqualTo(4);
    }

    @Test
    void sessionsSpawnRunsAnEphemeralSubagentAnnouncesItAndDeletesItWhenAsked() throws Exception {
        String fake = String.join("\", \"", Fixtures.fakeMcpServer());
        engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  agents: { list: [
                    { id: "a", model: "scripted/a", subagents: { allowAgents: ["b"] } },
                    { id: "b", model: "scripted/b", mcp: { servers: { scratch: { command: "%s", args: ["%s"], scope: "session" } } } },
                  ] },
                }
                """.formatted(fake.substring(0, fake.indexOf('"')), fake.substring(fake.indexOf('"') + 4)));
        provider.script(r -> {
            if (r.model().equals("b")) return Reply.text("research result: 42");
            String last = r.lastUserText();
            if (last.startsWith("[sub-agent")) return Reply.text("noted: " + last);
            if (r.messages().getLast().toolResult() != null) return Reply.text("spawned");
            return Reply.toolCall("sessions_spawn", "{\"task\":\"find the answer\",\"agentId\":\"b\",\"label\":\"finder\",\"cleanup\":\"delete\"}");
        });

        RunResult result = engine.agents().run(RunRequest.of("a", "delegate"));

        assertThat(result.text()).isEqualTo("spawned");
        assertThat(provider.requests().stream().filter(r -> r.model().equals("a")).findFirst().orElseThrow().toolNames()).contains("sessions_spawn");
        await().atMost(Duration.ofSeconds(20)).until(() -> provider.requests().stream()
                .anyMatch(r -> r.model().equals("a") && r.lastUserText().startsWith("[sub-agent \"finder\"")));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.agents().active().isEmpty());
        assertThat(provider.requests().stream().filter(r -> r.model().equals("a")).map(ScriptedRequest::lastUserText))
                .anyMatch(t -> t.contains("research result: 42"));
        assertThat(engine.store().list(SessionQuery.all().agent("b"))).as("cleanup: delete").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> processes("fake-mcp-server").isEmpty());
        assertThat(leases()).isZero();
    }

    @Test
    void spawnLimitsAreEnforced() throws Exception {
        agents("", "", ", subagents: { allowAgents: [\"b\"], maxChildrenPerAgent: 1 }");
        provider.script(r -> {
            if (r.model().equals("c")) return Reply.text("c ran");
            if (r.model().equals("b")) return Reply.text("b done").withDelay(Duration.ofSeconds(1));
            ScriptedRequest.Message last = r.messages().getLast();
            if (last.toolResult() != null) return Reply.text(last.toolResult().content());
            return r.lastUserText().equals("spawn c")
                    ? Reply.toolCall("sessions_spawn", "{\"task\":\"x\",\"agentId\":\"c\"}")
                    : Reply.toolCalls(java.util.stream.IntStream.range(0, 4) // run in parallel: the limit must hold even so
                    .mapToObj(i -> new Reply.Call("sessions_spawn", "{\"task\":\"t" + i + "\",\"agentId\":\"b\"}")).toArray(Reply.Call[]::new));
        });

        assertThat(engine.agents().run(RunRequest.of("a", "spawn c").withSessionKey("one")).text())
                .contains("forbidden").contains("may not spawn agent 'c'").contains("allowAgents");
        RunResult two = engine.agents().run(RunRequest.of("a", "spawn two b").withSessionKey("two"));
        List<String> results = provider.requests().stream().filter(r -> r.model().equals("a") && r.messages().getLast().toolResult() != null)
                .flatMap(r -> r.toolResults().stream()).map(ScriptedRequest.ToolResult::content)
                .filter(t -> !t.contains("may not spawn agent 'c'")).toList();
        assertThat(results).hasSize(4);
        assertThat(results).filteredOn(t -> t.contains("accepted")).hasSize(1);
        assertThat(results).filteredOn(t -> t.contains("maxChildrenPerAgent is 1")).hasSize(3);
        assertThat(two.status()).isEqualTo(RunResult.Status.OK);
    }

    @Test
    void visibilityDecidesWhatSessionsListAndHistoryShow() throws Exception {
        agents("sessions: { visibility: \"agent\" }", "", "");
        provider.script(r -> Reply.text("hi from " + r.model()));
        engine.agents().run(RunRequest.of("a", "first").withSessionKey("other"));
        engine.agents().run(RunRequest.of("b", "b's own"));
        provider.script(r -> {
            ScriptedRequest.Message last = r.messages().getLast();
            if (last.toolResult() != null) return Reply.text(last.toolResult().content());
            return r.lastUserText().equals("list") ? Reply.toolCall("sessions_list", "{\"messageLimit\":2}")
                    : Reply.toolCall("sessions_history", "{\"sessionKey\":\"agent:b:main\"}");
        });

        String list = engine.agents().run(RunRequest.of("a", "list")).text();
        String history = engine.agents().run(RunRequest.of("a", "history")).text();

        assertThat(list).contains("agent:a:other").contains("hi from a").doesNotContain("agent:b:main");
        assertThat(history).contains("forbidden").contains("belongs to agent 'b'");
        SessionEntry other = engine.store().get(SessionKey.parse("agent:a:other")).orElseThrow();
        assertThat(other.agentId()).isEqualTo("a");
    }
}
