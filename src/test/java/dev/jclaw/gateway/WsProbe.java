package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A raw WebSocket client for tests (the JDK's): sends any text, records every frame the gateway
 * sends in order, and the close code. Nothing here interprets the protocol beyond finding frames.
 */
final class WsProbe implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    /** One client for all probes: its selector thread is shared, as a browser's would be. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    /** Every frame received, in order; guarded by itself, which is notified on each arrival. */
    private final List<JsonNode> seen = new ArrayList<>();
    /** Responses by request id, so waiting for one does not scan every event. */
    private final Map<String, List<JsonNode>> responses = new HashMap<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicLong ids = new AtomicLong();
    private final boolean reading;
    private final boolean keepEvents;
    /** Lean probes count events and check their seq on arrival instead of keeping them. */
    final AtomicLong events = new AtomicLong();
    final AtomicLong seqGaps = new AtomicLong();
    private long lastSeq;
    final WebSocket socket;

    private WsProbe(URI url, boolean reading) throws Exception {
        this(url, reading, true);
    }

    private WsProbe(URI url, boolean reading, boolean keepEvents) throws Exception {
        this.reading = reading;
        this.keepEvents = keepEvents;
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(url, new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                if (WsProbe.this.reading) webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonNode frame;
                    try {
                        frame = JSON.readTree(partial.toString());
                    } catch (Exception e) {
                        frame = JSON.createObjectNode().put("unparsable", partial.toString());
                    }
                    partial.setLength(0);
                    if (!keepEvents && "event".equals(frame.path("type").asText())) {
                        events.incrementAndGet();
                        if (frame.has("seq")) {
                            long seq = frame.get("seq").asLong();
                            if (seq != lastSeq + 1) seqGaps.incrementAndGet();
                            lastSeq = seq;
                        }
                        webSocket.request(1);
                        return null;
                    }
                    synchronized (seen) {
                        seen.add(frame);
                        if ("res".equals(frame.path("type").asText())) {
                            responses.computeIfAbsent(frame.path("id").asText(), k -> new ArrayList<>()).add(frame);
                        }
                        seen.notifyAll();
                    }
                    if (keepEvents) frames.add(frame);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                closeReason.complete(reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(1006);
                closeReason.complete(String.valueOf(error));
            }
        }).get(10, TimeUnit.SECONDS);
    }

    static WsProbe open(URI url) throws Exception {
        return new WsProbe(url, true);
    }

    /** A client that never reads: the gateway's frames pile up in TCP buffers, then in its outbox. */
    static WsProbe notReading(URI url) throws Exception {
        return new WsProbe(url, false);
    }

    /** Opens and completes the handshake with {@code token}, asking for {@code scopes}; returns the probe. */
    static WsProbe connected(URI url, String token, String... scopes) throws Exception {
        WsProbe probe = open(url);
        JsonNode challenge = probe.next();
        if (!"connect.challenge".equals(challenge.path("event").asText())) throw new AssertionError("no challenge first: " + challenge);
        JsonNode hello = probe.response(probe.request("connect", connectParams(token, scopes.length == 0
                ? new String[] {"operator.admin"} : scopes)));
        if (!hello.path("ok").asBoolean()) throw new AssertionError("connect refused: " + hello);
        return probe;
    }

    /** Like {@link #connected} but keeping only responses: events are counted and their seq checked as they come. */
    static WsProbe lean(URI url, String token, String... scopes) throws Exception {
        WsProbe probe = new WsProbe(url, true, false);
        JsonNode hello = probe.response(probe.request("connect", connectParams(token, scopes)));
        if (!hello.path("ok").asBoolean()) throw new AssertionError("connect refused: " + hello);
        return probe;
    }

    static ObjectNode connectParams(String token, String... scopes) {
        ObjectNode params = JSON.createObjectNode();
        params.put("minProtocol", 3).put("maxProtocol", 4);
        params.putObject("client").put("id", "test").put("version", "1.0").put("platform", "linux").put("mode", "test");
        params.put("role", "operator");
        var s = params.putArray("scopes");
        for (String scope : scopes) s.add(scope);
        if (token != null) params.putObject("auth").put("token", token);
        return params;
    }

    void sendRaw(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** Sends a request; returns its id. */
    String request(String method, Object params) throws Exception {
        String id = ids.incrementAndGet() + ":" + UUID.randomUUID();
        ObjectNode frame = JSON.createObjectNode().put("type", "req").put("id", id).put("method", method);
        if (params != null) frame.set("params", JSON.valueToTree(params));
        sendRaw(frame.toString());
        return id;
    }

    /** The next frame not yet taken by {@link #next()}, whatever it is. */
    JsonNode next() throws InterruptedException {
        JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) throw new AssertionError("no frame within " + WAIT.toSeconds() + " s");
        return frame;
    }

    /** The first frame, of all received so far or to come, matching; waits for it. */
    JsonNode next(Predicate<JsonNode> wanted, Duration within) throws InterruptedException {
        return nth(wanted, 1, within);
    }

    /** The n-th frame (from 1), of all received, matching; waits for it. */
    JsonNode nth(Predicate<JsonNode> wanted, int n, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int scanned = 0;
        int found = 0;
        synchronized (seen) {
            while (true) {
                for (; scanned < seen.size(); scanned++) {
                    if (wanted.test(seen.get(scanned)) && ++found == n) return seen.get(scanned);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no matching frame #" + n + " within " + within.toSeconds() + " s; seen: " + tail());
                TimeUnit.NANOSECONDS.timedWait(seen, left);
            }
        }
    }

    /** The n-th response to {@code id}. */
    private JsonNode nthResponse(String id, int n, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (seen) {
            while (true) {
                List<JsonNode> answers = responses.getOrDefault(id, List.of());
                if (answers.size() >= n) return answers.get(n - 1);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no response #" + n + " to " + id + " within " + within.toSeconds() + " s; seen: " + tail());
                TimeUnit.NANOSECONDS.timedWait(seen, left);
            }
        }
    }

    /** The first response to {@code id}. */
    JsonNode response(String id) throws InterruptedException {
        return nthResponse(id, 1, WAIT);
    }

    /** The second response to {@code id} (the final answer of a two-phase method). */
    JsonNode response(String id, Duration within) throws InterruptedException {
        return nthResponse(id, 2, within);
    }

    /** Sends a request and returns its (first) response. */
    JsonNode call(String method, Object params) throws Exception {
        return response(request(method, params));
    }

    List<JsonNode> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    private String tail() {
        List<JsonNode> all = new ArrayList<>(seen);
        return all.subList(Math.max(0, all.size() - 5), all.size()).toString();
    }

    int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // already closed
        }
        socket.abort();
    }
}
