package dev.jclaw.agent;

import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.TranscriptEntry;
import dev.jclaw.session.TranscriptMessage;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agent runs end to end: a scripted model over real HTTP, real MCP servers, the transcript on disk.
 * Whatever the outcome, the run's leases are released and no process of a session it ended is left.
 */
class AgentRunTest extends EngineTestSupport {

    private static String fakeServer(String name, String scope) {
        String command = String.join("\", \"", Fixtures.fakeMcpServer());
        return name + ": { command: \"" + command.substring(0, command.indexOf('"')) + "\", args: [\""
                + command.substring(command.indexOf('"') + 4) + "\"], scope: \"" + scope + "\" },";
    }

    @Test
    void aConfigReloadDuringAModelTurnLetsTheTurnFinishOnTheClientItStartedWith() throws Exception {
        String config = """
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  agents: { list: [ { id: "main", model: "scripted/m1", workspace: "${DIR}/workspace" } %s ] },
                }
                """;
        engine(config.formatted(""), true);
        provider.script(r -> Reply.text("slow answer").withDelay(Duration.ofSeconds(2)));

        RunHandle run = engine.agents().start(RunRequest.of("main", "hi"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !provider.requests().isEmpty());
        Files.writeString(dir.resolve("openclaw.json"), config.formatted(", { id: \"second\", model: \"scripted/m1\" }")
                .replace("${PROVIDER}", provider.openAiBaseUrl()).replace("${DIR}", dir.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.config().agents().size() == 2);

        RunResult result = run.result().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.status()).as(result.error()).isEqualTo(RunResult.Status.OK);
        assertThat(result.text()).isEqualTo("slow answer");
        assertThat(provider.requests()).hasSize(1);
        assertThat(engine.agents().run(RunRequest.of("second", "and you?")).status()).as("the new client serves new turns")
                .isEqualTo(RunResult.Status.OK);
    }

    @Test
    void aPlainReplyStreamsAndLandsInTheTranscript() throws Exception {
        engineWithServers("");
        provider.script(r -> Reply.deltas("Hello", ", ", "world"));
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        RunResult result = engine.agents().run(RunRequest.of("main", "hi").withListener(events::add));

        assertThat(result.status()).isEqualTo(RunResult.Status.OK);
        assertThat(result.text()).isEqualTo("Hello, world");
        assertThat(result.sessionKey()).isEqualTo("agent:main:main");
        assertThat(events).extracting(RunEvent::stream).startsWith("lifecycle").endsWith("lifecycle").contains("assistant");
        assertThat(events).filteredOn(e -> e.stream().equals("assistant")).extracting(e -> e.data().get("delta"))
                .containsExactly("Hello", ", ", "world");
        assertThat(events).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates();
        List<TranscriptEntry> transcript = engine.store().history(SessionKey.parse("agent:main:main"), 10).entries();
        assertThat(transcript).extracting(e -> e.message().getClass().getSimpleName()).containsExactly("User", "Assistant");
        assertThat(((TranscriptMessage.Assistant) transcript.get(1).message()).provider()).isEqualTo("scripted");
    }

    @Test
    void theSystemPromptCarriesIdentityWorkspaceFilesAndTheExtraPrompt() throws Exception {
        Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(dir.resolve("workspace/AGENTS.md"), "Always answer in haiku.");
        Files.writeString(dir.resolve("workspace/SOUL.md"), "You love the sea.");
        engineWithServers("");
        provider.script(r -> Reply.text("ok"));

        engine.agents().run(RunRequest.of("main", "hi").withExtraSystemPrompt("Speak French."));

        String system = provider.lastRequest().systemPrompt();
        assertThat(system).contains("main").contains("## AGENTS.md").contains("Always answer in haiku.")
                .contains("## SOUL.md").contains("You love the sea.").contains("Speak French.");
    }

    @Test
    void aToolLoopCallsARealMcpServerAndFeedsItsResultBack() throws Exception {
        engineWithServers("everything: { command: \"npx\", args: [\"--no-install\", \"mcp-server-everything\"], cwd: \""
                + Fixtures.npmFixtures() + "\" },");
        provider.script(r -> r.toolResults().isEmpty()
                ? Reply.toolCall("everything__echo", "{\"message\":\"ping from the model\"}")
                : Reply.text("The tool said: " + r.toolResults().getFirst().content()));

        RunResult result = engine.agents().run(RunRequest.of("main", "use the echo tool"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunResult.Status.OK);
        assertThat(result.text()).isEqualTo("The tool said: Echo: ping from the model");
        assertThat(result.turns()).isEqualTo(2);
        assertThat(result.toolCalls()).isEqualTo(1);
        assertThat(provider.requests().getFirst().toolNames()).contains("everything__echo", "session_status", "sessions_send");
        List<TranscriptEntry> transcript = engine.store().history(SessionKey.parse("agent:main:main"), 10).entries();
        assertThat(transcript).extracting(e -> e.message().getClass().getSimpleName())
                .containsExactly("User", "Assistant", "ToolResult", "Assistant");
        assertThat(leases()).isZero();
        assertThat(processes("mcp-server-everything")).as("a gateway-scoped server stays for the next run").isNotEmpty();
    }

    @Test
    void severalToolCallsOfOneTurnRunConcurrently() throws Exception {
        engineWithServers(fakeServer("fake", "agent"));
        provider.script(r -> r.toolResults().isEmpty()
                ? Reply.toolCalls(new Reply.Call("fake__slow", "{\"seconds\":1}"), new Reply.Call("fake__slow", "{\"seconds\":1}"),
                new Reply.Call("fake__echo", "{\"message\":\"third\"}"))
                : Reply.text("got " + r.toolResults().size() + " results"));

        long start = System.nanoTime();
        RunResult result = engine.agents().run(RunRequest.of("main", "go"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.text()).isEqualTo("got 3 results");
        assertThat(took).as("two 1 s calls side by side").isLessThan(Duration.ofMillis(1900));
    }

    @Test
    void aFailingPrimaryFallsBackToTheNextModel() throws Exception {
        engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  agents: { list: [ { id: "main", model: { primary: "scripted/broken", fallbacks: ["scripted/spare"] } } ] },
                }
                """);
        provider.script(r -> r.model().equals("broken") ? Reply.error(500, "upstream exploded") : Reply.text("from " + r.model()));

        RunResult result = engine.agents().run(RunRequest.of("main", "hi"));

        assertThat(result.status()).isEqualTo(RunResult.Status.OK);
        assertThat(result.text()).isEqualTo("from spare");
        assertThat(result.model()).isEqualTo("spare");
    }

    @Test
    void whenEveryModelFailsTheRunErrorsWithEachAttemptNamed() throws Exception {
        engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  agents: { list: [ { id: "main", model: { primary: "scripted/a", fallbacks: ["scripted/b"] } } ] },
                }
                """);
        provider.script(r -> Reply.error(503, "overloaded " + r.model()));

        RunResult result = engine.agents().run(RunRequest.of("main", "hi"));

        assertThat(result.status()).isEqualTo(RunResult.Status.ERROR);
        assertThat(result.error()).contains("scripted/a").contains("scripted/b").contains("503");
    }

    @Test
    void withNoProviderConfiguredTheRunFailsAtOnceSayingWhatWouldFixIt() throws Exception {
        engine("{ agents: { list: [ { id: \"main\" } ] } }");

        RunResult result = engine.agents().run(RunRequest.of("main", "hi"));

        assertThat(result.status()).isEqualTo(RunResult.Status.ERROR);
        assertThat(result.error()).contains("OPENAI_API_KEY").contains("agents.defaults.model");
        assertThat(result.durationMillis()).isLessThan(2000);
    }

    @Test
    void aRunPastItsTimeoutEndsAsTimeoutAndItsEphemeralSessionServersAreGone() throws Exception {
        engineWithServers(fakeServer("temp", "session"));
        provider.script(r -> Reply.hang());

        RunResult result = engine.agents().run(RunRequest.of("main", "hi").withSessionKey("job-1").withEphemeral(true)
                .withTimeout(Duration.ofSeconds(2)));

        assertThat(result.status()).isEqualTo(RunResult.Status.TIMEOUT);
        // The turn gets what is left of the 2 s once the run has its lane and lease: 2.0 s, or 1.9 s on a busy machine.
        assertThat(result.error()).containsPattern("did not answer within (1\\.9|2\\.0) s");
        assertThat(leases()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> processes("fake-mcp-server").isEmpty());
    }

    @Test
    void anAbortDuringAToolCallCancelsItReleasesTheLeaseAndEndsTheRun() throws Exception {
        engineWithServers(fakeServer("fake", "session"));
        provider.script(r -> Reply.toolCall("fake__slow", "{\"seconds\":30}"));
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunHandle run = engine.agents().start(RunRequest.of("main", "go").withEphemeral(true).withListener(events::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> "start".equals(e.data().get("phase"))
                && e.stream().equals("tool")));

        long start = System.nanoTime();
        run.abort("the user pressed stop");
        RunResult result = run.result().get(5, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(result.status()).isEqualTo(RunResult.Status.ABORTED);
        assertThat(result.error()).contains("the user pressed stop");
        assertThat(leases()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> processes("fake-mcp-server").isEmpty());
    }

    @Test
    void aRunThatThrowsStillReleasesEverythingItOpened() throws Exception {
        engineWithServers(fakeServer("temp", "session"));
        provider.script(r -> Reply.text("never reached"));

        RunResult result = engine.agents().run(RunRequest.of("main", "hi").withEphemeral(true).withModel("no-slash-here"));

        assertThat(result.status()).isEqualTo(RunResult.Status.ERROR);
        assertThat(result.error()).contains("no-slash-here");
        assertThat(leases()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> processes("fake-mcp-server").isEmpty());
    }

    @Test
    void aQueuedRunThatIsAbortedLeavesNothingBehind() throws Exception {
        engineWithServers("");
        provider.script(r -> r.lastUserText().equals("first") ? Reply.text("done").withDelay(Duration.ofSeconds(2)) : Reply.text("second"));
        RunHandle first = engine.agents().start(RunRequest.of("main", "first"));
        await().until(() -> provider.inFlight() == 1);
        RunHandle queued = engine.agents().start(RunRequest.of("main", "queued"));

        queued.abort("changed my mind");

        assertThat(queued.result().get(2, TimeUnit.SECONDS).status()).isEqualTo(RunResult.Status.ABORTED);
        assertThat(first.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunResult.Status.OK);
        List<TranscriptEntry> transcript = engine.store().history(SessionKey.parse("agent:main:main"), 10).entries();
        assertThat(transcript).extracting(e -> e.message() instanceof TranscriptMessage.User u ? TranscriptMessageText.of(u) : "")
                .doesNotContain("queued");
        assertThat(engine.lanes().status()).allMatch(l -> l.active() == 0 && l.waiting() == 0);
    }

    @Test
    void theAnthropicApiWorksThroughTheSameLoop() throws Exception {
        engine("""
                {
                  models: { providers: { claude: { api: "anthropic-messages", baseUrl: "${ANTHROPIC}", apiKey: "test" } } },
                  agents: { list: [ { id: "main", model: "claude/sonnet" } ] },
                }
                """);
        provider.script(r -> r.toolResults().isEmpty() ? Reply.toolCall("session_status", "{}") : Reply.text("status seen"));

        RunResult result = engine.agents().run(RunRequest.of("main", "status?"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunResult.Status.OK);
        assertThat(result.text()).isEqualTo("status seen");
        assertThat(provider.requests().getLast().toolResults().getFirst().content()).contains("agent:main:main");
        assertThat(provider.requests()).extracting(ScriptedRequest::api).containsOnly(dev.jclaw.bench.ScriptedProviderServer.Api.ANTHROPIC);
    }

    /** The text of a user transcript message. */
    private static final class TranscriptMessageText {
        static String of(TranscriptMessage.User user) {
            return user.content().stream().filter(c -> c instanceof TranscriptMessage.Content.Text)
                    .map(c -> ((TranscriptMessage.Content.Text) c).text()).findFirst().orElse("");
        }
    }
}
