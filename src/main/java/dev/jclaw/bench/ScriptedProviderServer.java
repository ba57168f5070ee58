package dev.jclaw.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model provider for tests and benchmarks: a real HTTP server on 127.0.0.1 (ephemeral port) that
 * answers chat requests as a {@link Script} says, over the OpenAI chat-completions API
 * ({@code POST /v1/chat/completions}, {@code GET /v1/models}), the Anthropic messages API
 * ({@code POST /v1/messages}) and Ollama's chat API ({@code POST /api/chat}, {@code GET /api/tags}),
 * streamed (SSE, or NDJSON for Ollama) or not, as the client asks.
 *
 * <pre>{@code
 * try (var server = ScriptedProviderServer.start(request -> request.toolResults().isEmpty()
 *         ? Reply.toolCall("search", "{\"q\":\"jclaw\"}")
 *         : Reply.text("Found: " + request.toolResults().getFirst().content()))) {
 *     // models.providers.scripted = {api: "openai-completions", baseUrl: server.openAiBaseUrl()}
 * }
 * }</pre>
 *
 * <p>Threads: Jetty on virtual threads, one per request, so hanging and delayed replies cost nothing
 * and many requests can be answered at once. The script runs on the request's thread and may be
 * called concurrently. A reply with no delay is written in one write. {@link #close()} releases
 * hanging requests (their streams end whole) and delayed ones (they answer 503), then stops the server.
 */
public final class ScriptedProviderServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScriptedProviderServer.class);
    /** Requests kept for {@link #requests()} by default: enough for any test. */
    private static final int RECORDED = 1_000;
    /** How often a hanging reply probes whether the client is still there. */
    private static final long HEARTBEAT_MS = 20;
    /** A hang ends by itself after this long, so a forgotten client cannot hold a request forever. */
    private static final long MAX_HANG_MS = TimeUnit.MINUTES.toMillis(10);
    /** How long close() lets released hanging and delayed requests end their responses. */
    private static final long RELEASE_WAIT_MS = 1_000;
    /** Jetty's own stop, after hanging requests were released. */
    private static final long STOP_TIMEOUT_MS = 2_000;

    /** The API a request came through. */
    public enum Api { OPENAI, ANTHROPIC, OLLAMA }

    /** Decides the reply to each request. Called on the request's thread, possibly by several at once. */
    @FunctionalInterface
    public interface Script {
        Reply reply(ScriptedRequest request);
    }

    private final Server server;
    private final URI uri;
    private volatile Script script;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicLong responseIds = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ArrayDeque<ScriptedRequest> recorded = new ArrayDeque<>();
    private volatile int recordLimit = RECORDED;
    private final Set<String> modelsSeen = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

    private ScriptedProviderServer(Script script) throws Exception {
        this.script = Objects.requireNonNull(script, "script");
        server = new Server(new VirtualThreadPool());
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // Stopping would otherwise wait a second for each client's idle keep-alive connection to go.
        connector.setShutdownIdleTimeout(1);
        server.addConnector(connector);
        server.setHandler(new ChatHandler());
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** Starts a server on an ephemeral loopback port. */
    public static ScriptedProviderServer start(Script script) {
        try {
            return new ScriptedProviderServer(script);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the scripted provider server: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps at most {@code limit} requests for {@link #requests()}; 0 keeps none. Each holds its whole
     * body (history and tool schemas), so benchmarks that send thousands of large requests keep none.
     */
    public ScriptedProviderServer recording(int limit) {
        if (limit < 0) throw new IllegalArgumentException("recording limit must be >= 0, got " + limit);
        recordLimit = limit;
        synchronized (recorded) {
            while (recorded.size() > limit) recorded.removeFirst();
        }
        return this;
    }

    /** Replaces the script for the requests that arrive from now on. */
    public void script(Script script) {
        this.script = Objects.requireNonNull(script, "script");
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return uri;
    }

    /** The {@code baseUrl} of an {@code openai-completions} provider: {@code http://127.0.0.1:<port>/v1}. */
    public String openAiBaseUrl() {
        return uri + "/v1";
    }

    /** The {@code baseUrl} of an {@code anthropic-messages} provider (the client adds {@code /v1/messages}). */
    public String anthropicBaseUrl() {
        return uri.toString();
    }

    /** The {@code baseUrl} of an {@code ollama} provider (the client adds {@code /api/chat}). */
    public String ollamaBaseUrl() {
        return uri.toString();
    }

    /** Chat requests received since start, malformed ones included. */
    public long requestCount() {
        return requestCount.get();
    }

    /** The last chat requests understood (at most the {@link #recording} limit, 1000 by default), oldest first. */
    public List<ScriptedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The last chat request understood, or null. */
    public ScriptedRequest lastRequest() {
        synchronized (recorded) {
            return recorded.peekLast();
        }
    }

    /**
     * Chat requests being answered right now (delayed or hanging ones included). A hanging request
     * leaves this count within a few milliseconds of its client closing the connection.
     */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        closing.countDown();
        // Released requests finish their responses first; Jetty's stop closes connections at once.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_WAIT_MS);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("scripted provider server did not stop cleanly: {}", e.toString());
        }
    }

    private final class ChatHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            Api api = switch (path) {
                case "/v1/chat/completions" -> Api.OPENAI;
                case "/v1/messages" -> Api.ANTHROPIC;
                case "/api/chat" -> Api.OLLAMA;
                default -> null;
            };
            try {
                if (method.equals("GET") && (path.equals("/v1/models") || path.equals("/api/tags"))) {
                    List<String> models = new ArrayList<>(List.of("scripted"));
                    synchronized (modelsSeen) {
                        models.addAll(modelsSeen);
                    }
                    write(response, 200, "application/json", ScriptedWire.models(path.equals("/api/tags") ? Api.OLLAMA : Api.OPENAI, models));
                } else if (api != null && method.equals("POST")) {
                    chat(api, request, response);
                } else {
                    write(response, 404, "application/json", ScriptedWire.errorBody(api == null ? Api.OPENAI : api, 404,
                            "no such endpoint: " + method + " " + path));
                }
                callback.succeeded();
            } catch (Throwable e) {
                callback.failed(e);
            }
            return true;
        }

        private void chat(Api api, Request request, Response response) throws IOException, InterruptedException {
            requestCount.incrementAndGet();
            Map<String, String> headers = new HashMap<>();
            for (HttpField field : request.getHeaders()) headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
            ScriptedRequest parsed;
            try {
                parsed = ScriptedWire.parse(api, Content.Source.asString(request, StandardCharsets.UTF_8), headers);
            } catch (ScriptedWire.BadRequest e) {
                write(response, 400, "application/json", ScriptedWire.errorBody(api, 400, e.getMessage()));
                return;
            }
            synchronized (recorded) {
                if (recordLimit > 0) {
                    if (recorded.size() >= recordLimit) recorded.removeFirst();
                    recorded.addLast(parsed);
                }
            }
            modelsSeen.add(parsed.model());
            Reply reply;
            try {
                reply = Objects.requireNonNull(script.reply(parsed), "the script returned no reply");
            } catch (RuntimeException e) {
                write(response, 500, "application/json", ScriptedWire.errorBody(api, 500, "script failed: " + e));
                return;
            }
            inFlight.incrementAndGet();
            try {
                answer(api, parsed, reply, response);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private void answer(Api api, ScriptedRequest request, Reply reply, Response response) throws IOException, InterruptedException {
            if (!reply.delay.isZero() && closing.await(reply.delay.toNanos(), TimeUnit.NANOSECONDS)) {
                write(response, 503, "application/json", ScriptedWire.errorBody(api, 503, "the scripted provider server is closing"));
                return;
            }
            if (reply.hang) {
                hang(api, request.stream(), response);
                return;
            }
            if (reply.status != 0) {
                if (reply.retryAfter != null) {
                    long ms = reply.retryAfter.toMillis();
                    response.getHeaders().put("Retry-After", Long.toString((ms + 999) / 1000));
                    response.getHeaders().put("retry-after-ms", Long.toString(ms));
                }
                write(response, reply.status, "application/json", ScriptedWire.errorBody(api, reply.status, reply.errorMessage));
                return;
            }
            List<String> ids = new ArrayList<>(reply.calls.size());
            for (int i = 0; i < reply.calls.size(); i++) {
                ids.add((api == Api.ANTHROPIC ? "toolu_" : "call_") + callIds.incrementAndGet());
            }
            List<String> pieces = ScriptedWire.answer(api, request, reply, ids, responseIds.incrementAndGet());
            String contentType = ScriptedWire.contentType(api, request.stream());
            if (reply.deltaInterval.isZero()) {
                write(response, 200, contentType, String.join("", pieces));
                return;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            for (String piece : pieces) {
                Content.Sink.write(response, false, utf8(piece));
                if (closing.await(reply.deltaInterval.toNanos(), TimeUnit.NANOSECONDS)) break;
            }
            Content.Sink.write(response, true, ByteBuffer.allocate(0));
        }

        /** Holds the request open until the client goes away (a heartbeat write fails) or the server closes. */
        private void hang(Api api, boolean stream, Response response) throws InterruptedException {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ScriptedWire.contentType(api, stream));
            String heartbeat = ScriptedWire.heartbeat(api, stream);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_HANG_MS);
            try {
                while (System.nanoTime() < until && !closing.await(HEARTBEAT_MS, TimeUnit.MILLISECONDS)) {
                    Content.Sink.write(response, false, utf8(heartbeat));
                }
                // Released: end the body here, before this request stops counting as in flight, so
                // close() cannot cut the connection between the last heartbeat and the final chunk.
                Content.Sink.write(response, true, ByteBuffer.allocate(0));
            } catch (IOException clientGone) {
                log.debug("hanging request ended: the client closed the connection");
            }
        }

        private static void write(Response response, int status, String contentType, String body) throws IOException {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            Content.Sink.write(response, true, utf8(body));
        }

        private static ByteBuffer utf8(String s) {
            return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * What the server answers: text (streamed in several deltas), tool calls (ids assigned by the
     * server), both, an HTTP error, or a hang; optionally after a delay. Immutable; the {@code with…}
     * methods return a changed copy.
     */
    public static final class Reply {
        private final List<String> deltas;
        private final List<Call> calls;
        private final int status;
        private final String errorMessage;
        private final Duration retryAfter;
        private final Duration delay;
        private final Duration deltaInterval;
        private final boolean hang;

        private Reply(List<String> deltas, List<Call> calls, int status, String errorMessage, Duration retryAfter,
                      Duration delay, Duration deltaInterval, boolean hang) {
            this.deltas = List.copyOf(deltas);
            this.calls = List.copyOf(calls);
            this.status = status;
            this.errorMessage = errorMessage;
            this.retryAfter = retryAfter;
            this.delay = delay;
            this.deltaInterval = deltaInterval;
            this.hang = hang;
        }

        /** Answers {@code text}, streamed word by word (at most 16 deltas). */
        public static Reply text(String text) {
            return new Reply(split(text), List.of(), 0, null, null, Duration.ZERO, Duration.ZERO, false);
        }

        /** Answers text streamed in exactly these deltas. */
        public static Reply deltas(String... deltas) {
            return new Reply(Arrays.asList(deltas), List.of(), 0, null, null, Duration.ZERO, Duration.ZERO, false);
        }

        /** Asks the client to call one tool; {@code argumentsJson} must be a JSON object. */
        public static Reply toolCall(String name, String argumentsJson) {
            return toolCalls(new Call(name, argumentsJson));
        }

        /** Asks the client to call several tools in one turn. */
        public static Reply toolCalls(Call... calls) {
            if (calls.length == 0) throw new IllegalArgumentException("at least one tool call");
            return new Reply(List.of(), Arrays.asList(calls), 0, null, null, Duration.ZERO, Duration.ZERO, false);
        }

        /** Answers with this HTTP status and the API's error body carrying {@code message}. */
        public static Reply error(int status, String message) {
            if (status < 400 || status > 599) throw new IllegalArgumentException("an error status is 4xx or 5xx, got " + status);
            return new Reply(List.of(), List.of(), status, message, null, Duration.ZERO, Duration.ZERO, false);
        }

        /**
         * Sends the response headers, then nothing the client can see, until the client closes the
         * connection or the server closes (at most 10 minutes).
         */
        public static Reply hang() {
            return new Reply(List.of(), List.of(), 0, null, null, Duration.ZERO, Duration.ZERO, true);
        }

        /** This reply with one more tool call after its text (and calls). */
        public Reply withToolCall(String name, String argumentsJson) {
            List<Call> more = new ArrayList<>(calls);
            more.add(new Call(name, argumentsJson));
            return new Reply(deltas, more, status, errorMessage, retryAfter, delay, deltaInterval, hang);
        }

        /** This error with {@code Retry-After} (whole seconds, rounded up) and {@code retry-after-ms} headers. */
        public Reply withRetryAfter(Duration after) {
            if (status == 0) throw new IllegalStateException("Retry-After goes with an error reply");
            return new Reply(deltas, calls, status, errorMessage, Objects.requireNonNull(after), delay, deltaInterval, hang);
        }

        /** This reply, sent after waiting {@code delay} (a 503 instead if the server closes meanwhile). */
        public Reply withDelay(Duration delay) {
            return new Reply(deltas, calls, status, errorMessage, retryAfter, Objects.requireNonNull(delay), deltaInterval, hang);
        }

        /** This reply, streamed with a pause of {@code interval} after each piece (each piece flushed on its own). */
        public Reply withDeltaInterval(Duration interval) {
            return new Reply(deltas, calls, status, errorMessage, retryAfter, delay, Objects.requireNonNull(interval), hang);
        }

        List<String> deltas() {
            return deltas;
        }

        List<Call> calls() {
            return calls;
        }

        String deltasText() {
            return String.join("", deltas);
        }

        int outputTokens() {
            int chars = deltasText().length();
            for (Call c : calls) chars += c.arguments().length() + c.name().length();
            return Math.max(1, chars / 4);
        }

        private static List<String> split(String text) {
            List<String> words = new ArrayList<>();
            int start = 0;
            for (int i = 1; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == ' ') {
                    words.add(text.substring(start, i));
                    start = i;
                }
            }
            if (words.size() <= 16) return words;
            List<String> grouped = new ArrayList<>();
            int per = (words.size() + 15) / 16;
            for (int i = 0; i < words.size(); i += per) grouped.add(String.join("", words.subList(i, Math.min(words.size(), i + per))));
            return grouped;
        }

        /** A tool call to make: the tool's name and its arguments as a JSON object's text. */
        public record Call(String name, String arguments) {
            public Call {
                Objects.requireNonNull(name, "name");
                JsonNode tree = parse(arguments);
                if (tree == null || !tree.isObject()) throw new IllegalArgumentException("tool call arguments must be a JSON object, got " + arguments);
            }

            JsonNode argumentsTree() {
                return parse(arguments);
            }

            private static JsonNode parse(String json) {
                try {
                    return ScriptedWire.JSON.readTree(json);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("tool call arguments are not JSON: " + e.getOriginalMessage());
                }
            }
        }
    }
}
