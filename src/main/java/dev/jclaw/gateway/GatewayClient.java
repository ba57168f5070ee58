package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A client of the gateway's WebSocket protocol (the CLI's, on the JDK's WebSocket): waits for the
 * challenge, connects with a token or password, then sends requests and matches answers by id.
 * {@link #callFinal} follows OpenClaw's two-phase answers (accepted, then final on the same id).
 * Every wait is bounded by the timeout given.
 */
public final class GatewayClient implements AutoCloseable {
    /**
     * How to connect.
     *
     * @param clientId    OpenClaw client id ({@code cli}, {@code gateway-client}, ...)
     * @param mode        OpenClaw client mode ({@code cli}, {@code backend}, {@code probe}, ...)
     * @param displayName shown in presence, or null
     * @param scopes      operator scopes to ask for
     */
    public record Options(URI url, String token, String password, String clientId, String mode, String displayName, List<String> scopes,
                          Duration connectTimeout) {
        public static Options cli(URI url, String token, String password, List<String> scopes) {
            return new Options(url, token, password, "cli", "cli", "jclaw", scopes, Duration.ofSeconds(10));
        }
    }

    private record Pending(CompletableFuture<JsonNode> done, Consumer<JsonNode> accepted, boolean expectFinal) {}

    private final Options options;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> challenge = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    /** Owns the selector thread of the WebSocket; closed with the client. */
    private final HttpClient http;
    private volatile JsonNode hello;

    private GatewayClient(Options options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
    }

    /**
     * Connects and completes the handshake.
     *
     * @throws GatewayException TRANSPORT when nothing answers at the URL, REFUSED when the gateway refuses the connect
     */
    public static GatewayClient connect(Options options) throws GatewayException, InterruptedException {
        GatewayClient client = new GatewayClient(options);
        try {
            client.open();
        } catch (GatewayException | InterruptedException | RuntimeException | Error e) {
            client.close(); // a socket opened before the handshake failed (or was interrupted) goes with it
            throw e;
        }
        return client;
    }

    private void open() throws GatewayException, InterruptedException {
        long timeout = options.connectTimeout().toMillis();
        CompletableFuture<WebSocket> opening = http.newWebSocketBuilder().connectTimeout(options.connectTimeout())
                .buildAsync(options.url(), new Listener());
        try {
            socket = opening.get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof ConnectException || (cause != null && cause.getCause() instanceof ConnectException)
                    ? "connection refused" : String.valueOf(cause);
            throw new GatewayException(GatewayException.Kind.TRANSPORT, null, "no gateway answers at " + options.url() + " (" + why + ")", null);
        } catch (TimeoutException | InterruptedException e) {
            opening.cancel(true);
            opening.thenAccept(WebSocket::abort); // one that connects after all is dropped
            if (e instanceof InterruptedException interrupted) throw interrupted;
            throw new GatewayException(GatewayException.Kind.TRANSPORT, null, "no gateway answered at " + options.url() + " within "
                    + options.connectTimeout().toSeconds() + " s", null);
        }
        try {
            challenge.get(timeout, TimeUnit.MILLISECONDS); // the nonce matters to signing clients; this one sends a token
        } catch (ExecutionException | TimeoutException e) {
            throw new GatewayException(GatewayException.Kind.TRANSPORT, null, "the gateway at " + options.url() + " sent no connect.challenge", null);
        }
        ObjectNode params = Json.object();
        params.put("minProtocol", Handshake.MIN_PROTOCOL);
        params.put("maxProtocol", Handshake.MAX_PROTOCOL);
        ObjectNode client = params.putObject("client");
        client.put("id", options.clientId());
        client.put("version", versionOf());
        client.put("platform", System.getProperty("os.name").toLowerCase());
        client.put("mode", options.mode());
        if (options.displayName() != null) client.put("displayName", options.displayName());
        client.put("instanceId", UUID.randomUUID().toString());
        params.put("role", "operator");
        params.set("scopes", Json.MAPPER.valueToTree(options.scopes()));
        ObjectNode auth = params.putObject("auth");
        if (options.token() != null) auth.put("token", options.token());
        if (options.password() != null) auth.put("password", options.password());
        try {
            hello = request("connect", params, false, null, options.connectTimeout());
        } catch (GatewayException e) {
            throw new GatewayException(GatewayException.Kind.REFUSED, e.code(), "the gateway refused the connection: " + e.getMessage(),
                    e.details());
        }
    }

    private static String versionOf() {
        String v = GatewayClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The hello-ok payload. */
    public JsonNode hello() {
        return hello;
    }

    /** Receives every event (name, payload), on the client's thread; must not block. */
    public void onEvent(BiConsumer<String, JsonNode> listener) {
        listeners.add(listener);
    }

    /** A request answered once. */
    public JsonNode call(String method, Object params, Duration timeout) throws GatewayException, InterruptedException {
        return request(method, params, false, null, timeout);
    }

    /** A request answered twice (accepted, then final): {@code accepted} sees the first, the final is returned. */
    public JsonNode callFinal(String method, Object params, Consumer<JsonNode> accepted, Duration timeout)
            throws GatewayException, InterruptedException {
        return request(method, params, true, accepted, timeout);
    }

    private JsonNode request(String method, Object params, boolean expectFinal, Consumer<JsonNode> accepted, Duration timeout)
            throws GatewayException, InterruptedException {
        String id = ids.incrementAndGet() + ":" + UUID.randomUUID();
        Pending p = new Pending(new CompletableFuture<>(), accepted, expectFinal);
        pending.put(id, p);
        // failAll ran when the connection closed; a request registered after that would wait its whole timeout.
        if (closed.isDone()) {
            pending.remove(id);
            throw new GatewayException(GatewayException.Kind.TRANSPORT, null, "the connection is closed", null);
        }
        ObjectNode frame = Json.object();
        frame.put("type", "req");
        frame.put("id", id);
        frame.put("method", method);
        if (params != null) frame.set("params", Json.MAPPER.valueToTree(params));
        try {
            WebSocket ws = socket;
            if (ws == null || ws.isOutputClosed()) throw new GatewayException(GatewayException.Kind.TRANSPORT, null, "the connection is closed", null);
            ws.sendText(frame.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return p.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException g) throw g;
            throw new GatewayException(GatewayException.Kind.TRANSPORT, null, method + ": " + e.getCause(), null);
        } catch (TimeoutException e) {
            throw new GatewayException(GatewayException.Kind.TIMEOUT, null, method + " got no answer within " + timeout.toMillis() + " ms", null);
        } finally {
            pending.remove(id);
        }
    }

    private void receive(String text) {
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return; // not ours to judge: the gateway sent garbage; the request will time out
        }
        String type = frame.path("type").asText();
        if (type.equals("event")) {
            String event = frame.path("event").asText();
            if (event.equals("connect.challenge")) {
                challenge.complete(frame.path("payload").path("nonce").asText(""));
                return;
            }
            for (BiConsumer<String, JsonNode> l : listeners) {
                try {
                    l.accept(event, frame.path("payload"));
                } catch (RuntimeException ignored) {
                    // a listener's failure is its own
                }
            }
            return;
        }
        if (!type.equals("res")) return;
        Pending p = pending.get(frame.path("id").asText());
        if (p == null) return;
        if (!frame.path("ok").asBoolean()) {
            JsonNode error = frame.path("error");
            p.done().completeExceptionally(new GatewayException(GatewayException.Kind.REQUEST, error.path("code").asText(null),
                    error.path("message").asText("request failed"), error.get("details")));
            return;
        }
        JsonNode payload = frame.path("payload");
        if (p.expectFinal() && "accepted".equals(payload.path("status").asText())) {
            if (p.accepted() != null) p.accepted().accept(payload);
            return;
        }
        p.done().complete(payload);
    }

    private void failAll(String why) {
        GatewayException e = new GatewayException(GatewayException.Kind.TRANSPORT, null, why, null);
        pending.values().forEach(p -> p.done().completeExceptionally(e));
        challenge.completeExceptionally(e);
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null) {
            http.shutdownNow();
            return;
        }
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
            closed.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the gateway did not echo: drop it
        } finally {
            ws.abort();
            http.shutdownNow(); // not close(): that waits for exchanges, and the socket is already gone
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                receive(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            failAll("the gateway closed the connection (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
            failAll("connection lost: " + error);
        }
    }
}
