package dev.jclaw.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One WebSocket client, from the upgrade to the close.
 *
 * <h2>Design note: one writer, bounded</h2>
 * Frames to the client — responses from any request thread, events from any run — go into one
 * outbox; a single virtual thread per connection ({@link #run()}, one try/finally) writes them in
 * order, each write bounded by {@code sendTimeout}. The outbox counts what it holds: a client that
 * stops reading fills it, and past {@code maxBufferedBytes} it is cut off (close 1008 "slow
 * consumer"), so it costs at most that much memory, never more. Event sequence numbers are assigned
 * under the same lock that enqueues, so they reach the client in order without gaps.
 * <p>
 * Inbound, Jetty delivers text in fragments of at most 64 KiB; they are gathered up to the
 * payload limit (64 KiB before {@code connect}, 25 MiB after), and the rest of an oversize message
 * is dropped as it arrives, so a huge frame costs the limit, and the client gets an error naming
 * it. Reading is demand-driven: the next frame is read only once the previous one has been handed
 * on, the handshake is done, or a request has one of the connection's {@link #MAX_IN_FLIGHT}
 * permits; a client that floods requests is slowed by TCP, not answered with more threads. Every
 * request (and the handshake, which reads the store) runs on a virtual thread of its own, never on
 * Jetty's I/O threads.
 * <p>
 * The close frame is sent once (CAS on {@code closeSent}); every way of ending — the client's close,
 * a refused handshake, a slow consumer, the gateway's shutdown — ends in {@link #run()}'s finally,
 * which unregisters the connection.
 */
public final class Connection implements Session.Listener {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** Requests of one connection running at once; the next frame is read when one ends. */
    static final int MAX_IN_FLIGHT = 64;
    /** Below this a client is never cut for the shared budget: the budget is taken back from the biggest queues. */
    private static final long SHARE_FLOOR = 256 * 1024;
    /** How long a close frame may wait for the peer's echo before the socket is dropped (OpenClaw: 1 s). */
    private static final long CLOSE_GRACE_MILLIS = 1_000;
    private static final JsonFactory PREFIX_PARSER = new JsonFactory();

    enum State { AWAITING_CONNECT, OPEN, CLOSED }

    private record Close(int code, String reason) {}

    private final Gateway gateway;
    private final String connId = UUID.randomUUID().toString();
    private final String nonce = UUID.randomUUID().toString();
    private final AtomicReference<State> state = new AtomicReference<>(State.AWAITING_CONNECT);
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Object enqueueLock = new Object();
    private final StringBuilder inbound = new StringBuilder();
    private boolean discarding;
    private long discardedLength;
    private long seq;
    private volatile Peer peer;
    private volatile Session session;
    private volatile Thread writer;

    Connection(Gateway gateway) {
        this.gateway = gateway;
    }

    String connId() {
        return connId;
    }

    Peer peer() {
        return peer;
    }

    // ---- Jetty callbacks (one at a time per connection) ----

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        if (!gateway.clients().add(this)) {
            closeNow(1013, "too many connections (" + gateway.options().limits().maxConnections() + "); try again later");
            return;
        }
        writer = Thread.ofVirtual().name("jclaw-ws-" + connId).start(this::run);
        session.demand();
        enqueue(Json.event("connect.challenge", Json.write(Json.map("nonce", nonce, "ts", System.currentTimeMillis(),
                "capabilities", java.util.List.of())), null));
        gateway.schedule(gateway.options().limits().handshakeTimeout(), () -> {
            if (state.get() == State.AWAITING_CONNECT) {
                gateway.metrics().rejected("handshake_timeout");
                close(1008, "connect timeout: no valid connect request within "
                        + gateway.options().limits().handshakeTimeout().toSeconds() + " s");
            }
        });
    }

    @Override
    public void onWebSocketPartialText(String fragment, boolean last) {
        int limit = state.get() == State.OPEN ? gateway.options().limits().maxPayload() : gateway.options().limits().maxPreauthPayload();
        if (!discarding && inbound.length() + fragment.length() > limit) {
            discarding = true;
            discardedLength = inbound.length();
            // Keep the head: the request id is usually there, so the error can answer it.
            if (inbound.length() < 4096) inbound.append(fragment, 0, Math.min(fragment.length(), 4096 - inbound.length()));
        }
        if (discarding) {
            discardedLength += fragment.length();
        } else {
            inbound.append(fragment);
        }
        if (!last) {
            session.demand();
            return;
        }
        String text = inbound.toString();
        inbound.setLength(0);
        inbound.trimToSize();
        if (discarding) {
            discarding = false;
            oversize(text, discardedLength, limit);
        } else {
            receive(text);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        session.demand();
        gateway.metrics().rejected("binary");
        String problem = "binary frames are not part of the protocol: send JSON text frames";
        if (state.get() != State.OPEN) {
            close(1008, "invalid request frame: " + problem);
        } else {
            enqueue(Json.error(null, GatewayError.invalid("invalid request frame: " + problem)));
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        ended();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("connection {}: {}", connId, cause.toString());
        ended();
    }

    // ---- inbound ----

    /** One whole message; reading resumes (demand) once it is handed on. */
    private void receive(String text) {
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            session.demand();
            gateway.metrics().rejected("not_json");
            String problem = "frame is not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            refuse(null, problem);
            return;
        }
        String id = frame.isObject() && frame.path("id").isTextual() && !frame.get("id").asText().isEmpty() ? frame.get("id").asText() : null;
        String problem = frameProblem(frame, id);
        if (problem != null) {
            session.demand();
            gateway.metrics().rejected("invalid_frame");
            refuse(id, "invalid request frame: " + problem);
            return;
        }
        String method = frame.get("method").asText();
        JsonNode params = frame.get("params");
        if (state.get() == State.AWAITING_CONNECT) {
            if (!method.equals("connect")) {
                gateway.metrics().rejected("handshake");
                enqueue(Json.error(id, GatewayError.invalid("invalid handshake: first request must be connect")));
                close(1008, "invalid handshake: first request must be connect");
                return;
            }
            // The hello reads the store: off Jetty's thread; the next frame is read once the handshake is done.
            gateway.submit(() -> {
                try {
                    handshake(id, params);
                } finally {
                    demand();
                }
            });
            return;
        }
        if (state.get() != State.OPEN) return;
        if (method.equals("connect")) {
            session.demand();
            enqueue(Json.error(id, GatewayError.invalid("connect was already accepted on this connection")));
            return;
        }
        gateway.submit(() -> {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                demand(); // this request holds a permit: the next one may be read
                gateway.methods().dispatch(this, id, method, params);
            } finally {
                inFlight.release();
            }
        });
    }

    private void demand() {
        Session s = session;
        if (s != null && state.get() != State.CLOSED && s.isOpen()) s.demand();
    }

    /** What is wrong with a request frame's envelope, or null. */
    private static String frameProblem(JsonNode frame, String id) {
        if (!frame.isObject()) return "must be a JSON object, got " + frame.getNodeType().toString().toLowerCase();
        if (!"req".equals(frame.path("type").asText(null))) {
            return "type must be \"req\" (clients send requests only), got " + (frame.has("type") ? frame.get("type") : "none");
        }
        if (id == null) return "id must be a non-empty string";
        if (!frame.path("method").isTextual() || frame.get("method").asText().isEmpty()) return "method must be a non-empty string";
        return null;
    }

    /** A frame that is not a request: before connect it ends the connection; after, it is answered and the connection lives on. */
    private void refuse(String id, String problem) {
        if (state.get() == State.AWAITING_CONNECT) {
            if (id != null) enqueue(Json.error(id, GatewayError.invalid(problem)));
            close(1008, truncate(problem));
        } else {
            enqueue(Json.error(id, GatewayError.invalid(problem)));
        }
    }

    private void oversize(String head, long length, int limit) {
        demand();
        gateway.metrics().rejected("oversize");
        String id = idFromPrefix(head);
        String problem = "frame too large: " + length + " characters exceed the limit of " + limit
                + (state.get() == State.OPEN ? " (policy.maxPayload)" : " before connect");
        refuse(id, problem);
    }

    /** The top-level "id" of a frame of which only the start is at hand, if it comes before the cut. */
    static String idFromPrefix(String head) {
        try (JsonParser parser = PREFIX_PARSER.createParser(head)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("id") && value == JsonToken.VALUE_STRING) return parser.getText();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) parser.skipChildren();
                } else if (token == JsonToken.END_OBJECT) {
                    return null;
                }
            }
        } catch (java.io.IOException e) {
            // the cut (or garbage) ends the search
        }
        return null;
    }

    private void handshake(String id, JsonNode params) {
        Gateway.State now = gateway.state();
        if (now != Gateway.State.READY) {
            boolean starting = now == Gateway.State.STARTING;
            enqueue(Json.error(id, new GatewayError(GatewayError.UNAVAILABLE, starting ? "gateway is starting; retry shortly"
                    : "gateway is shutting down", Json.map("retryAfterMs", 500), true)));
            close(starting ? 1013 : 1012, starting ? "gateway starting" : "gateway shutting down");
            return;
        }
        try {
            Peer accepted = gateway.handshake().accept(params, connId, nonce, remoteAddress());
            peer = accepted;
            if (!state.compareAndSet(State.AWAITING_CONNECT, State.OPEN)) return;
            enqueue(Json.ok(id, gateway.hello(accepted)));
            gateway.metrics().connected(accepted);
        } catch (Handshake.Rejected e) {
            gateway.metrics().rejected("connect_refused");
            log.info("connection {} from {} refused: {}", connId, remoteAddress(), e.getMessage());
            enqueue(Json.error(id, e.error));
            close(e.closeCode, truncate(e.getMessage()));
        }
    }

    private String remoteAddress() {
        Session s = session;
        return s != null && s.getRemoteSocketAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
    }

    // ---- outbound ----

    /** Queues a response (any thread). */
    void send(String frame) {
        enqueue(frame);
    }

    /** Queues an event made by {@link Json#eventHead}, numbered in this connection's sequence (any thread). */
    void sendEvent(String head) {
        if (state.get() != State.OPEN) return;
        synchronized (enqueueLock) {
            enqueue(Json.event(head, ++seq));
        }
    }

    private void enqueue(String frame) {
        if (state.get() == State.CLOSED || closeSent.get()) return;
        GatewayOptions.Limits limits = gateway.options().limits();
        synchronized (enqueueLock) {
            long before = queued.get();
            boolean overOwn = before > 0 && before + frame.length() > limits.maxBufferedBytes();
            boolean overAll = before > SHARE_FLOOR && gateway.clients().queued.get() + frame.length() > limits.maxBufferedTotal();
            if (overOwn || overAll) {
                slowConsumer(before + frame.length(), overAll && !overOwn);
                return;
            }
            queued.addAndGet(frame.length());
            gateway.clients().queued.addAndGet(frame.length());
            outbox.add(frame);
        }
    }

    /** Drops whatever is queued, counting exactly what it removed (the writer accounts for the frame it holds). */
    private void dropQueued() {
        synchronized (enqueueLock) {
            long dropped = 0;
            for (Object next; (next = outbox.poll()) != null; ) {
                if (next instanceof String frame) dropped += frame.length();
            }
            queued.addAndGet(-dropped);
            gateway.clients().queued.addAndGet(-dropped);
        }
    }

    private void slowConsumer(long wouldQueue, boolean sharedBudget) {
        gateway.metrics().slowConsumer();
        log.warn("connection {} ({}) cut off as a slow consumer: {} characters would be queued, the limit is {}{}", connId,
                peer == null ? "before connect" : peer.clientId() + "/" + peer.clientMode(), wouldQueue,
                gateway.options().limits().maxBufferedBytes(), sharedBudget ? " (and all clients together hold more than "
                        + gateway.options().limits().maxBufferedTotal() + ")" : "");
        dropQueued();
        closeNow(1008, "slow consumer");
    }

    /** Sends the close frame after what is already queued (once), then drops the socket if the peer does not answer. */
    void close(int code, String reason) {
        if (state.get() == State.CLOSED || closeSent.get()) return;
        outbox.add(new Close(code, reason));
    }

    /** Closes without waiting for queued frames: the socket is not being read, or the gateway is going. */
    void closeNow(int code, String reason) {
        Session s = session;
        if (s != null && closeSent.compareAndSet(false, true)) {
            s.close(code, reason, Callback.NOOP);
            gateway.schedule(java.time.Duration.ofMillis(CLOSE_GRACE_MILLIS), s::disconnect);
        }
        ended();
    }

    /**
     * The writer: takes frames from the outbox and writes them one at a time, each bounded; sends a
     * ping when idle. Every end of the connection comes through the finally.
     */
    private void run() {
        long pingMillis = gateway.options().limits().pingInterval().toMillis();
        try {
            while (state.get() != State.CLOSED) {
                Object next = outbox.poll(pingMillis, TimeUnit.MILLISECONDS);
                if (next == null) {
                    write(s -> s.sendPing(ByteBuffer.allocate(0), Callback.NOOP));
                    continue;
                }
                if (next instanceof Close close) {
                    if (closeSent.compareAndSet(false, true)) {
                        Session s = session;
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        s.close(close.code(), close.reason(), Callback.from(() -> done.complete(null), done::completeExceptionally));
                        gateway.schedule(java.time.Duration.ofMillis(CLOSE_GRACE_MILLIS), s::disconnect);
                    }
                    return;
                }
                String frame = (String) next;
                queued.addAndGet(-frame.length());
                gateway.clients().queued.addAndGet(-frame.length());
                if (!write(s -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    s.sendText(frame, Callback.from(() -> done.complete(null), done::completeExceptionally));
                    done.get(gateway.options().limits().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                })) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // ended() or the gateway's shutdown: the finally cleans up
        } finally {
            ended();
        }
    }

    private interface Write {
        void on(Session session) throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** One bounded write; false when the connection is over (failed, or stalled past the send timeout). */
    private boolean write(Write write) throws InterruptedException {
        Session s = session;
        if (s == null || !s.isOpen()) return false;
        try {
            write.on(s);
            return true;
        } catch (TimeoutException e) {
            gateway.metrics().slowConsumer();
            log.warn("connection {}: a frame was not written within {} s; cut off as a slow consumer", connId,
                    gateway.options().limits().sendTimeout().toSeconds());
            dropQueued();
            closeNow(1008, "slow consumer");
            return false;
        } catch (ExecutionException e) {
            log.debug("connection {}: write failed: {}", connId, e.getCause().toString());
            return false;
        }
    }

    /** Idempotent end: the state, the registry, the writer, the queued frames. */
    private void ended() {
        State before = state.getAndSet(State.CLOSED);
        if (before == State.CLOSED) return;
        gateway.clients().remove(this);
        if (before == State.OPEN) gateway.metrics().disconnected();
        dropQueued();
        Thread w = writer;
        if (w != null && w != Thread.currentThread()) w.interrupt();
    }

    /** Frames queued and not yet written, in characters (tests, metrics). */
    long queuedCharacters() {
        return queued.get();
    }

    private static String truncate(String reason) {
        // A close reason is at most 123 bytes on the wire.
        byte[] bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= 120) return reason;
        return new String(bytes, 0, 117, java.nio.charset.StandardCharsets.UTF_8).replace("\uFFFD", "") + "...";
    }
}
