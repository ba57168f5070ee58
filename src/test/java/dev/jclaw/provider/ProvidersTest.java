package dev.jclaw.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.bench.ScriptedProviderServer;
import dev.jclaw.bench.ScriptedProviderServer.Api;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest;
import dev.jclaw.config.JClawConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jclaw.provider.ProviderFixture.TURN;
import static dev.jclaw.provider.ProviderFixture.ask;
import static dev.jclaw.provider.ProviderFixture.config;
import static dev.jclaw.provider.ProviderFixture.provider;
import static dev.jclaw.provider.ProviderFixture.providers;
import static dev.jclaw.provider.ProviderFixture.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Providers against the scripted server over real sockets, for each API. */
class ProvidersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private ScriptedProviderServer server(ScriptedProviderServer.Script script) {
        ScriptedProviderServer server = ScriptedProviderServer.start(script);
        open.add(server);
        return server;
    }

    private Providers providers(JClawConfig config) {
        Providers providers = ProviderFixture.providers(config, Map.of());
        open.add(providers);
        return providers;
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void streamsTextDeltasAsTheyArriveAndReturnsTheWholeAnswer(Api api) {
        var server = server(r -> Reply.text("Hello there, dear friend").withDeltaInterval(Duration.ofMillis(30)));
        var providers = providers(config(dir, provider("p", server, api)));
        var recorder = new ProviderFixture.Recorder();
        List<Long> deltaTimes = new CopyOnWriteArrayList<>();
        ChatListener listener = new ChatListener() {
            @Override
            public void onTextDelta(String delta) {
                deltaTimes.add(System.nanoTime());
                recorder.onTextDelta(delta);
            }
        };

        long start = System.nanoTime();
        ChatResult result = providers.chat(select("p/m1"), ask("hi"), listener, TURN);
        long end = System.nanoTime();

        assertThat(result.text()).isEqualTo("Hello there, dear friend");
        assertThat(recorder.deltas).containsExactly("Hello", " there,", " dear", " friend");
        assertThat(deltaTimes.getFirst()).as("the first delta arrives well before the answer ends").isLessThan(end - 60_000_000L);
        assertThat(deltaTimes.getFirst()).isGreaterThan(start);
        assertThat(result.provider()).isEqualTo("p");
        assertThat(result.model()).isEqualTo("m1");
        assertThat(result.stopReason()).isEqualTo("stop");
        assertThat(result.toolCalls()).isEmpty();
        assertThat(result.usage().outputTokens()).isPositive();
        assertThat(result.attempts()).extracting(ChatResult.Attempt::outcome).containsExactly("ok");
        ScriptedRequest seen = server.lastRequest();
        assertThat(seen.api()).isEqualTo(api);
        assertThat(seen.stream()).isTrue();
        assertThat(seen.model()).isEqualTo("m1");
        assertThat(seen.systemPrompt()).isEqualTo("You are terse.");
        assertThat(seen.lastUserText()).isEqualTo("hi");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void toolCallRoundTripSendsTheResultBackWithItsCallId(Api api) {
        var server = server(r -> r.toolResults().isEmpty()
                ? Reply.text("Let me look.").withToolCall("search", "{\"q\":\"jclaw\",\"limit\":3}")
                : Reply.text("Found: " + r.toolResults().getFirst().content()));
        var providers = providers(config(dir, provider("p", server, api)));
        ToolSpec search = new ToolSpec("search", "Search the web", Map.of("type", "object",
                "properties", Map.of("q", Map.of("type", "string"), "limit", Map.of("type", "integer")), "required", List.of("q")));
        List<ChatMessage> conversation = new ArrayList<>(List.of(new ChatMessage.User("find jclaw")));

        ChatResult first = providers.chat(select("p/m"), new ChatRequest("sys", conversation, List.of(search)), null, TURN);

        assertThat(first.stopReason()).isEqualTo("tool_calls");
        assertThat(first.text()).isEqualTo("Let me look.");
        assertThat(first.toolCalls()).hasSize(1);
        ToolCall call = first.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("search");
        assertThat(call.id()).startsWith(api == Api.ANTHROPIC ? "toolu_" : "call_");
        assertThat(tree(call.arguments())).isEqualTo(tree("{\"q\":\"jclaw\",\"limit\":3}"));
        assertThat(server.lastRequest().toolNames()).containsExactly("search");

        conversation.add(new ChatMessage.Assistant(first.text(), first.toolCalls()));
        conversation.add(new ChatMessage.ToolResult(call.id(), "search", "jclaw.dev", false));
        ChatResult second = providers.chat(select("p/m"), new ChatRequest("sys", conversation, List.of(search)), null, TURN);

        assertThat(second.text()).isEqualTo("Found: jclaw.dev");
        assertThat(second.toolCalls()).isEmpty();
        ScriptedRequest seen = server.lastRequest();
        assertThat(seen.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("search");
            assertThat(tree(c.arguments())).isEqualTo(tree(call.arguments()));
            if (api != Api.OLLAMA) assertThat(c.id()).isEqualTo(call.id());
        });
        assertThat(seen.toolResults()).singleElement().satisfies(r -> {
            assertThat(r.content()).isEqualTo("jclaw.dev");
            if (api != Api.OLLAMA) assertThat(r.callId()).isEqualTo(call.id());
        });
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void severalToolCallsInOneTurnComeBackAsSeveralCallsWithTheirIds(Api api) {
        var server = server(r -> Reply.toolCalls(
                new Reply.Call("read", "{\"path\":\"a.txt\"}"),
                new Reply.Call("read", "{\"path\":\"b.txt\"}"),
                new Reply.Call("list", "{}")));
        var providers = providers(config(dir, provider("p", server, api)));
        ToolSpec read = new ToolSpec("read", "Read a file", Map.of("type", "object", "properties", Map.of("path", Map.of("type", "string")), "required", List.of("path")));
        ToolSpec list = new ToolSpec("list", "List files", Map.of("type", "object", "properties", Map.of(), "required", List.of()));

        ChatResult result = providers.chat(select("p/m"), new ChatRequest("", List.of(new ChatMessage.User("go")), List.of(read, list)), null, TURN);

        assertThat(result.toolCalls()).extracting(ToolCall::name).containsExactly("read", "read", "list");
        assertThat(result.toolCalls()).extracting(c -> tree(c.arguments()))
                .containsExactly(tree("{\"path\":\"a.txt\"}"), tree("{\"path\":\"b.txt\"}"), tree("{}"));
        assertThat(result.toolCalls()).extracting(ToolCall::id).doesNotHaveDuplicates().allMatch(id -> !id.isBlank());
        assertThat(result.stopReason()).isEqualTo("tool_calls");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void toolSchemasReachTheProviderExactlyAsDeclared(Api api) {
        var server = server(r -> Reply.text("ok"));
        var providers = providers(config(dir, provider("p", server, api)));
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("type", "object");
        plain.put("properties", Map.of(
                "query", Map.of("type", "string", "minLength", 1, "description", "what to look for"),
                "filters", Map.of("type", "object", "additionalProperties", false,
                        "properties", Map.of("since", Map.of("type", "string", "format", "date-time"))),
                "mode", Map.of("enum", List.of("fast", "deep"), "default", "fast"),
                "tags", Map.of("type", "array", "items", Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "integer"))))));
        plain.put("required", List.of("query"));
        // What MCP servers built with zod send: $schema, additionalProperties and $defs at the top, no required.
        Map<String, Object> zod = new LinkedHashMap<>();
        zod.put("$schema", "http://json-schema.org/draft-07/schema#");
        zod.put("type", "object");
        zod.put("properties", Map.of("node", Map.of("$ref", "#/$defs/node")));
        zod.put("additionalProperties", false);
        zod.put("$defs", Map.of("node", Map.of("type", "object", "properties", Map.of("children", Map.of("type", "array", "items", Map.of("$ref", "#/$defs/node"))))));
        Map<String, Object> empty = Map.of("type", "object");
        List<ToolSpec> tools = List.of(new ToolSpec("plain", "plain schema", plain), new ToolSpec("zod", "zod schema", zod), new ToolSpec("empty", "no arguments", empty));

        providers.chat(select("p/m"), new ChatRequest("", List.of(new ChatMessage.User("go")), tools), null, TURN);

        ScriptedRequest seen = server.lastRequest();
        assertThat(seen.toolNames()).containsExactly("plain", "zod", "empty");
        assertThat(seen.toolSchema("plain")).isEqualTo(JSON.valueToTree(plain));
        assertThat(seen.toolSchema("zod")).isEqualTo(JSON.valueToTree(zod));
        assertThat(seen.toolSchema("empty")).isEqualTo(JSON.valueToTree(empty));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aServerErrorIsRetriedOnTheSameModelAndTheRetryAnswers(Api api) {
        AtomicInteger calls = new AtomicInteger();
        var server = server(r -> calls.incrementAndGet() == 1 ? Reply.error(500, "boom") : Reply.text("recovered"));
        var providers = providers(config(dir, provider("p", server, api)));
        var recorder = new ProviderFixture.Recorder();

        ChatResult result = providers.chat(select("p/m"), ask("hi"), recorder, TURN);

        assertThat(result.text()).isEqualTo("recovered");
        assertThat(result.attempts()).extracting(ChatResult.Attempt::outcome).containsExactly("HTTP 500: boom", "ok");
        assertThat(recorder.attempts).containsExactly("p/m", "p/m");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void persistentServerErrorsMoveToTheFallbackProviderAfterTheRetries() {
        var primary = server(r -> Reply.error(503, "overloaded"));
        var backup = server(r -> Reply.text("from backup"));
        var providers = providers(config(dir, provider("main", primary, Api.OPENAI), provider("backup", backup, Api.ANTHROPIC)));

        ChatResult result = providers.chat(select("main/a", "backup/b"), ask("hi"), null, TURN);

        assertThat(result.text()).isEqualTo("from backup");
        assertThat(result.provider()).isEqualTo("backup");
        assertThat(result.model()).isEqualTo("b");
        assertThat(primary.requestCount()).isEqualTo(ProviderFixture.FAST.attemptsPerModel());
        assertThat(result.attempts()).extracting(a -> a.provider() + "/" + a.model() + " " + a.outcome())
                .containsExactly("main/a HTTP 503: overloaded", "main/a HTTP 503: overloaded", "main/a HTTP 503: overloaded", "backup/b ok");
    }

    @Test
    void aRefusedConnectionIsRetriedThenTheFallbackAnswers() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var backup = server(r -> Reply.text("from backup"));
        var providers = providers(config(dir, "\"down\": {api: \"openai-completions\", baseUrl: \"http://127.0.0.1:" + closedPort + "/v1\"}",
                provider("backup", backup, Api.OLLAMA)));

        ChatResult result = providers.chat(select("down/a", "backup/b"), ask("hi"), null, TURN);

        assertThat(result.text()).isEqualTo("from backup");
        assertThat(result.attempts()).hasSize(4);
        assertThat(result.attempts().subList(0, 3)).allSatisfy(a -> assertThat(a.outcome()).startsWith("cannot connect"));
    }

    @Test
    void anUnauthorizedModelIsNotRetriedButLeftForTheFallbackAtOnce() {
        var server = server(r -> r.model().equals("a") ? Reply.error(401, "invalid x-api-key") : Reply.text("fallback answer"));
        var providers = providers(config(dir, provider("p", server, Api.ANTHROPIC)));

        ChatResult result = providers.chat(select("p/a", "p/b"), ask("hi"), null, TURN);

        assertThat(result.text()).isEqualTo("fallback answer");
        assertThat(server.requests()).extracting(ScriptedRequest::model).containsExactly("a", "b");
        assertThat(result.attempts().getFirst().outcome()).isEqualTo("HTTP 401: invalid x-api-key (check models.providers.p.apiKey)");
    }

    @Test
    void whenEveryModelFailsTheMessageListsEachModelWhatHappenedAndHowManyTries() {
        var server = server(r -> switch (r.model()) {
            case "a" -> Reply.error(500, "boom");
            case "b" -> Reply.error(404, "model b does not exist");
            default -> Reply.error(429, "slow down");
        });
        var providers = providers(config(dir, provider("one", server, Api.OPENAI), provider("two", server, Api.ANTHROPIC)));

        assertThatThrownBy(() -> providers.chat(select("one/a", "two/b", "nowhere/c", "one/c"), ask("hi"), null, TURN))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.ALL_FAILED);
                    assertThat(e.getMessage()).isEqualTo("""
                            No model answered:
                              - one/a: HTTP 500: boom (×3) — 3 tries
                              - two/b: HTTP 404: model b does not exist — 1 try
                              - nowhere/c: not configured: provider "nowhere" is not configured (add models.providers.nowhere with baseUrl and api; built in without configuration: anthropic, ollama, openai, openrouter)
                              - one/c: HTTP 429: slow down (×3) — 3 tries""");
                    assertThat(e.attempts()).hasSize(8);
                });
    }

    @Test
    void retryAfterFromTheProviderIsHonouredUpToTheBackoffMax() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        var server = server(r -> {
            arrivals.add(System.nanoTime());
            return arrivals.size() == 1 ? Reply.error(429, "rate limited").withRetryAfter(Duration.ofMillis(300)) : Reply.text("ok");
        });
        var retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofSeconds(5));
        try (var providers = Providers.from(config(dir, provider("p", server, Api.OPENAI)), retry, new SimpleMeterRegistry(), k -> null)) {
            assertThat(providers.chat(select("p/m"), ask("hi"), null, TURN).text()).isEqualTo("ok");
        }
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aStalledStreamCountsAsATimeoutAndIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        var server = server(r -> calls.incrementAndGet() == 1 ? Reply.hang() : Reply.text("second try"));
        var retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(300));
        try (var providers = Providers.from(config(dir, provider("p", server, Api.OPENAI)), retry, new SimpleMeterRegistry(), k -> null)) {
            ChatResult result = providers.chat(select("p/m"), ask("hi"), null, TURN);
            assertThat(result.text()).isEqualTo("second try");
            assertThat(result.attempts().getFirst().outcome()).isEqualTo("timed out: nothing received for 300 ms");
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void theTurnTimeoutBoundsTheWholeTurnAndLeavesNothingRunning(Api api) {
        var server = server(r -> Reply.hang());
        var providers = providers(config(dir, provider("p", server, api)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> providers.chat(select("p/m"), ask("hi"), null, Duration.ofMillis(400)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
                    assertThat(e.getMessage()).startsWith("The model did not answer within 400 ms.");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofMillis(1500));
        assertThat(providers.liveExchanges()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> server.inFlight() == 0);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void interruptingTheCallerAbortsPromptlyAndLeavesNoThreadOrConnection(Api api) throws Exception {
        var server = server(r -> r.lastUserText().equals("slow headers") ? Reply.text("late").withDelay(Duration.ofSeconds(30)) : Reply.hang());
        var providers = providers(config(dir, provider("p", server, api)));
        // A first turn starts the HTTP client's own thread, so the count below compares like with like.
        assertThatThrownBy(() -> providers.chat(select("p/m"), ask("warm up"), null, Duration.ofMillis(200))).isInstanceOf(ProviderException.class);
        await().atMost(Duration.ofSeconds(2)).until(() -> server.inFlight() == 0);
        int platformThreads = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();

        for (String question : List.of("hang mid-stream", "slow headers")) {
            long before = server.requestCount();
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            List<Boolean> interruptKept = new CopyOnWriteArrayList<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    providers.chat(select("p/m"), ask(question), null, Duration.ofSeconds(60));
                } catch (Throwable t) {
                    thrown.add(t);
                    interruptKept.add(Thread.currentThread().isInterrupted());
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() > before);
            Thread.sleep(50);
            long interruptedAt = System.nanoTime();
            caller.interrupt();
            assertThat(caller.join(Duration.ofSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofMillis(500));
            assertThat(thrown).singleElement().isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.ABORTED));
            assertThat(interruptKept).containsExactly(true);
            assertThat(providers.liveExchanges()).isZero();
            assertThat(ProviderFixture.threadsNamed("jclaw-model")).isZero();
            if (question.startsWith("hang")) {
                // The server's heartbeat write fails once the client has closed the connection.
                await().atMost(Duration.ofSeconds(2)).until(() -> server.inFlight() == 0);
            }
        }
        assertThat(java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(platformThreads);
    }

    /** What a turn costs on this side of the wire: an instant scripted reply, measured end to end. */
    @ParameterizedTest
    @EnumSource(value = Api.class, names = {"OPENAI", "ANTHROPIC"})
    void anInstantTurnTakesAboutAMillisecondEndToEnd(Api api) {
        var server = server(r -> Reply.text("pong"));
        var providers = providers(config(dir, provider("p", server, api)));
        Map<String, Object> plain = Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string")), "required", List.of("q"));
        Map<String, Object> zod = Map.of("$schema", "http://json-schema.org/draft-07/schema#", "type", "object",
                "properties", Map.of("q", Map.of("type", "string")), "additionalProperties", false);
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            history.add(new ChatMessage.User("question " + i + " ".repeat(200)));
            history.add(new ChatMessage.Assistant("answer " + i + " ".repeat(200), List.of()));
        }
        history.add(new ChatMessage.User("ping"));
        for (var schema : List.of(plain, zod)) {
            List<ToolSpec> tools = new ArrayList<>();
            for (int t = 0; t < 10; t++) tools.add(new ToolSpec("tool" + t, "a tool", schema));
            ChatRequest request = new ChatRequest("system prompt " + "x".repeat(2_000), history, tools);
            for (int i = 0; i < 300; i++) providers.chat(select("p/m"), request, null, TURN); // warm up
            long[] nanos = new long[1_000];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                providers.chat(select("p/m"), request, null, TURN);
                nanos[i] = System.nanoTime() - start;
            }
            java.util.Arrays.sort(nanos);
            System.out.printf("%s turn, 21 messages, 10 tools (%s schemas): p50 %d µs, p99 %d µs%n", api, schema == plain ? "plain" : "zod-style",
                    nanos[500] / 1000, nanos[990] / 1000);
            assertThat(Duration.ofNanos(nanos[500])).isLessThan(Duration.ofMillis(10));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
