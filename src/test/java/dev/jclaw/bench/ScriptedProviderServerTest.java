package dev.jclaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.bench.ScriptedProviderServer.Api;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The scripted server's wire formats, checked with a plain HTTP client. */
class ScriptedProviderServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScriptedProviderServer server = ScriptedProviderServer.start(r -> Reply.text("Hi there").withToolCall("search", "{\"q\":\"x\"}"));

    @AfterEach
    void stop() {
        client.shutdownNow();
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> sseData(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) out.add(JSON.readTree(line.substring(6)));
        }
        return out;
    }

    @Test
    void openAiStreamIsChunksWithToolCallDeltasThenUsageThenDone() throws Exception {
        var response = post("/v1/chat/completions", """
                {"model":"m","stream":true,"messages":[{"role":"system","content":"sys"},{"role":"user","content":"q"}],
                 "tools":[{"type":"function","function":{"name":"search","parameters":{"type":"object"}}}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = sseData(response.body());
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        StringBuilder text = new StringBuilder();
        StringBuilder args = new StringBuilder();
        String callId = null;
        for (JsonNode c : chunks) {
            JsonNode delta = c.path("choices").path(0).path("delta");
            text.append(delta.path("content").asText(""));
            for (JsonNode call : delta.path("tool_calls")) {
                assertThat(call.path("index").asInt()).isZero();
                if (call.has("id")) callId = call.path("id").asText();
                args.append(call.path("function").path("arguments").asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo("Hi there");
        assertThat(args.toString()).isEqualTo("{\"q\":\"x\"}");
        assertThat(callId).startsWith("call_");
        assertThat(chunks.get(chunks.size() - 2).path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(chunks.getLast().path("usage").path("total_tokens").asInt()).isPositive();
        ScriptedRequest seen = server.lastRequest();
        assertThat(seen.systemPrompt()).isEqualTo("sys");
        assertThat(seen.toolNames()).containsExactly("search");
        assertThat(seen.header("authorization")).isEqualTo("Bearer t");
    }

    @Test
    void anthropicStreamSendsTheMessageEventsInOrder() throws Exception {
        var response = post("/v1/messages", """
                {"model":"claude","stream":true,"max_tokens":10,"system":"sys","messages":[{"role":"user","content":"q"}]}""");

        List<String> events = Arrays.stream(response.body().split("\n")).filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
        assertThat(events).containsExactly("message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        List<JsonNode> data = sseData(response.body());
        assertThat(data.get(5).path("content_block").path("type").asText()).isEqualTo("tool_use");
        assertThat(data.get(5).path("content_block").path("id").asText()).startsWith("toolu_");
        assertThat(data.get(9).path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void eachApiAnswersWholeWhenNotStreaming() throws Exception {
        JsonNode openAi = JSON.readTree(post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}").body());
        assertThat(openAi.path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hi there");
        assertThat(openAi.path("choices").path(0).path("message").path("tool_calls").path(0).path("function").path("arguments").asText()).isEqualTo("{\"q\":\"x\"}");

        JsonNode anthropic = JSON.readTree(post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}").body());
        assertThat(anthropic.path("content").path(0).path("text").asText()).isEqualTo("Hi there");
        assertThat(anthropic.path("content").path(1).path("input")).isEqualTo(JSON.readTree("{\"q\":\"x\"}"));
        assertThat(anthropic.path("stop_reason").asText()).isEqualTo("tool_use");

        JsonNode ollama = JSON.readTree(post("/api/chat", "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}").body());
        assertThat(ollama.path("message").path("content").asText()).isEqualTo("Hi there");
        assertThat(ollama.path("message").path("tool_calls").path(0).path("function").path("arguments")).isEqualTo(JSON.readTree("{\"q\":\"x\"}"));
        assertThat(ollama.path("done").asBoolean()).isTrue();
    }

    @Test
    void ollamaStreamsOneJsonObjectPerLineEndingWithDone() throws Exception {
        String body = post("/api/chat", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}").body();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) lines.add(JSON.readTree(line));
        assertThat(lines.getLast().path("done").asBoolean()).isTrue();
        assertThat(lines.subList(0, lines.size() - 1)).allSatisfy(l -> assertThat(l.path("done").asBoolean()).isFalse());
        assertThat(server.lastRequest().stream()).as("Ollama streams unless told not to").isTrue();
    }

    @Test
    void errorsCarryTheStatusTheApiErrorBodyAndRetryAfter() throws Exception {
        server.script(r -> Reply.error(429, "slow down").withRetryAfter(Duration.ofMillis(1500)));
        var openAi = post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(openAi.statusCode()).isEqualTo(429);
        assertThat(openAi.headers().firstValue("retry-after")).hasValue("2");
        assertThat(openAi.headers().firstValue("retry-after-ms")).hasValue("1500");
        assertThat(JSON.readTree(openAi.body()).path("error").path("message").asText()).isEqualTo("slow down");
        var anthropic = post("/v1/messages", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void badRequestsAreRefusedWithAMessageAndCounted() throws Exception {
        var notJson = post("/v1/chat/completions", "{nope");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("request body is not JSON");
        var noModel = post("/v1/messages", "{\"messages\":[]}");
        assertThat(noModel.body()).contains("\\\"model\\\" is required");
        assertThat(post("/v2/other", "{}").statusCode()).isEqualTo(404);
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aScriptThatThrowsAnswers500WithItsMessage() throws Exception {
        server.script(r -> {
            throw new IllegalStateException("script bug");
        });
        var response = post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("script bug");
    }

    @Test
    void modelListsNameTheModelsAskedFor() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"gpt-x\",\"messages\":[]}");
        var models = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(server.openAiBaseUrl() + "/models")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(models.path("data").findValuesAsText("id")).containsExactly("scripted", "gpt-x");
        var tags = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/tags")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(tags.path("models").findValuesAsText("name")).contains("gpt-x");
    }

    @Test
    void aHangingReplyEndsWhenTheClientGoesAway() throws Exception {
        server.script(r -> Reply.hang());
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[]}")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(2)).until(() -> server.inFlight() == 1);
        pending.cancel(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> server.inFlight() == 0);
    }

    @Test
    void closingIsPromptWithIdleConnectionsAndReleasesHangingRequests() throws Exception {
        // Repeated: the race it guards (stop cutting a released response before its last chunk) is narrow.
        for (int round = 0; round < 30; round++) {
            var other = ScriptedProviderServer.start(r -> switch (r.lastUserText()) {
                case "hang" -> Reply.hang();
                case "slow" -> Reply.text("late").withDelay(Duration.ofMinutes(1));
                default -> Reply.text("x");
            });
            HttpRequest quick = chatRequest(other, false, "hi");
            assertThat(client.send(quick, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200); // leaves an idle keep-alive connection
            var hanging = client.sendAsync(chatRequest(other, true, "hang"), HttpResponse.BodyHandlers.ofString());
            var delayed = client.sendAsync(chatRequest(other, false, "slow"), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(2)).until(() -> other.inFlight() == 2);

            long start = System.nanoTime();
            other.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(other.inFlight()).isZero();
            assertThat(hanging).as("round %d: the hanging stream ends whole", round).succeedsWithin(Duration.ofSeconds(2))
                    .satisfies(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(delayed).as("round %d: the delayed reply is refused, not cut", round).succeedsWithin(Duration.ofSeconds(2))
                    .satisfies(r -> assertThat(r.body()).contains("closing"));
        }
    }

    private static HttpRequest chatRequest(ScriptedProviderServer target, boolean stream, String userText) {
        return HttpRequest.newBuilder(URI.create(target.uri() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]}")).build();
    }

    @Test
    void recordedRequestsAreBoundedWhileTheCountGoesOn() throws Exception {
        server.script(r -> Reply.text("x"));
        for (int i = 0; i < 1_005; i++) post("/v1/chat/completions", "{\"model\":\"m" + i + "\",\"messages\":[]}");
        assertThat(server.requestCount()).isEqualTo(1_005);
        assertThat(server.requests()).hasSize(1_000);
        assertThat(server.requests().getFirst().model()).isEqualTo("m5");
    }

    @Test
    void manyConcurrentRequestsAreAllAnswered() {
        server.script(r -> Reply.text("x").withDelay(Duration.ofMillis(200)));
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(all).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("delays overlap: one thread per request").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void malformedRepliesAreRefusedWhenScripted() {
        assertThatThrownBy(() -> Reply.toolCall("x", "[1]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> Reply.toolCall("x", "{")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Reply.error(200, "x")).hasMessageContaining("4xx or 5xx");
        assertThatThrownBy(() -> Reply.text("x").withRetryAfter(Duration.ofSeconds(1))).hasMessageContaining("error reply");
    }

    /**
     * Measures the server, not an HTTP client: one keep-alive connection, a request written by hand,
     * the response read up to its Content-Length.
     */
    @Test
    void anInstantReplyTakesWellUnderAMillisecondOfServerTime() throws Exception {
        server.script(r -> Reply.text("pong"));
        String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
        byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
        long[] nanos = new long[3_000];
        try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int i = -1_000; i < nanos.length; i++) { // the first thousand warm up
                long start = System.nanoTime();
                out.write(request);
                out.flush();
                int length = -1;
                for (String line = line(in); !line.isEmpty(); line = line(in)) {
                    if (line.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
                }
                assertThat(in.readNBytes(length)).hasSize(length);
                if (i >= 0) nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        long p50 = nanos[nanos.length / 2];
        long p99 = nanos[nanos.length * 99 / 100];
        System.out.printf("scripted server, instant streamed reply, loopback round trip: p50 %d µs, p99 %d µs%n", p50 / 1000, p99 / 1000);
        // Generous for a CPU shared with other suites; one Nagle stall alone would be 40 ms.
        assertThat(Duration.ofNanos(p50)).isLessThan(Duration.ofMillis(1));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new EOFException("connection closed mid-response");
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void eachApiIsReportedAsSuch() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(server.lastRequest().api()).isEqualTo(Api.OPENAI);
        post("/v1/messages", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(server.lastRequest().api()).isEqualTo(Api.ANTHROPIC);
        post("/api/chat", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(server.lastRequest().api()).isEqualTo(Api.OLLAMA);
    }
}
