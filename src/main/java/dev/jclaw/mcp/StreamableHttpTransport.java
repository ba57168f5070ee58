package dev.jclaw.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * MCP's Streamable HTTP transport (spec 2025-11-25), written for JClaw because the SDK's (2.1.0)
 * drops the SSE {@code retry} field and does not resume a response stream that the server closes
 * before the response: here a POST's SSE stream that ends early is resumed with a GET carrying
 * {@code Last-Event-ID}, after the server's {@code retry} delay, a bounded number of times.
 * <p>
 * Every POST carries {@code Mcp-Session-Id} (once the server assigned one) and
 * {@code MCP-Protocol-Version} (once negotiated). Responses may be JSON or SSE; both are capped in
 * size. Streams are read on virtual threads; {@link #close()} ends them and deletes the session.
 */
final class StreamableHttpTransport implements McpClientTransport {
    private static final Logger log = LoggerFactory.getLogger(StreamableHttpTransport.class);
    /** The delay before resuming when the server sent no {@code retry}. */
    private static final long DEFAULT_RETRY_MILLIS = 1000;
    /** Resumptions of one stream before its request is given up. */
    private static final int MAX_RESUMPTIONS = 5;
    /** Largest JSON body or SSE event accepted. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final McpServerSpec spec;
    private final URI endpoint;
    private final McpJsonMapper json;
    private final HttpClient http;
    private final Set<InputStream> openStreams = ConcurrentHashMap.newKeySet();
    private volatile Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    /** The client's threads; shutting the client down does not stop an executor it was given, close() does. */
    private final java.util.concurrent.ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    StreamableHttpTransport(McpServerSpec spec, McpJsonMapper json) {
        this.spec = spec;
        this.endpoint = spec.url();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(spec.connectionTimeout()).executor(executor).build();
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        this.handler = handler;
        return Mono.empty();
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.fromCallable(() -> {
            if (closed) throw new IOException("the transport to '" + spec.label() + "' is closed");
            HttpRequest request = request().POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(message)))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
            int status = response.statusCode();
            if (status == 202 || status == 204) {
                response.body().close();
                return null;
            }
            if (status / 100 != 2) {
                String body = readCapped(response.body(), 2048);
                throw new IOException("MCP server '" + spec.label() + "' answered HTTP " + status
                        + (status == 404 && sessionId != null ? " (its session expired)" : "") + ": " + body.strip());
            }
            if (!(message instanceof McpSchema.JSONRPCRequest sent)) {
                response.body().close(); // a notification or response awaits nothing (the spec says 202; some say more)
                return null;
            }
            Object awaited = sent.id();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/event-stream")) {
                Thread.ofVirtual().name("jclaw-mcp-sse-" + spec.name()).start(() -> consumeStream(response.body(), awaited));
            } else {
                deliverJson(readCapped(response.body(), MAX_MESSAGE_BYTES));
            }
            return null;
        }).then();
    }

    /** Reads an SSE stream; if it ends before the response to {@code awaited} arrived, resumes it. */
    private void consumeStream(InputStream body, Object awaited) {
        SseCursor cursor = new SseCursor();
        boolean answered = readEvents(body, cursor, awaited);
        for (int attempt = 1; !answered && awaited != null && !closed && attempt <= MAX_RESUMPTIONS; attempt++) {
            try {
                Thread.sleep(cursor.retryMillis);
                HttpRequest.Builder get = request().GET().header("Accept", "text/event-stream");
                if (cursor.lastEventId != null) get.header("Last-Event-ID", cursor.lastEventId);
                HttpResponse<InputStream> response = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    log.warn("MCP server '{}' refused to resume a stream: HTTP {}", spec.label(), response.statusCode());
                    return;
                }
                answered = readEvents(response.body(), cursor, awaited);
            } catch (IOException e) {
                if (!closed) log.debug("resuming a stream of '{}' failed (attempt {})", spec.label(), attempt, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Where a stream got to: the last event id and the server's requested reconnection delay. */
    private static final class SseCursor {
        String lastEventId;
        long retryMillis = DEFAULT_RETRY_MILLIS;
    }

    /** Dispatches the stream's events; true once the response to {@code awaited} went by. */
    private boolean readEvents(InputStream body, SseCursor cursor, Object awaited) {
        openStreams.add(body);
        boolean answered = false;
        StringBuilder data = new StringBuilder();
        String event = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() && (event == null || event.equals("message"))) {
                        answered |= deliverJson(data.toString(), awaited);
                    }
                    data.setLength(0);
                    event = null;
                } else if (line.startsWith(":")) {
                    continue; // comment / keep-alive
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "data" -> {
                            if (data.length() + value.length() > MAX_MESSAGE_BYTES) throw new IOException("SSE event over " + MAX_MESSAGE_BYTES + " bytes");
                            if (!data.isEmpty()) data.append('\n');
                            data.append(value);
                        }
                        case "event" -> event = value;
                        case "id" -> cursor.lastEventId = value;
                        case "retry" -> {
                            try {
                                cursor.retryMillis = Math.min(60_000, Long.parseLong(value.strip()));
                            } catch (NumberFormatException ignored) {
                                // the spec says to ignore a retry that is not a number
                            }
                        }
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            if (!closed) log.debug("stream of '{}' ended: {}", spec.label(), e.toString());
        } finally {
            openStreams.remove(body);
        }
        return answered;
    }

    private void deliverJson(String body) throws IOException {
        if (body.isBlank()) return;
        if (body.stripLeading().startsWith("[")) {
            for (Map<String, Object> item : json.readValue(body, new TypeRef<List<Map<String, Object>>>() { })) {
                deliver(McpSchema.deserializeJsonRpcMessage(json, json.writeValueAsString(item)));
            }
        } else {
            deliver(McpSchema.deserializeJsonRpcMessage(json, body));
        }
    }

    private boolean deliverJson(String data, Object awaited) {
        try {
            JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(json, data);
            deliver(message);
            return awaited != null && message instanceof McpSchema.JSONRPCResponse response && awaited.equals(response.id());
        } catch (IOException | IllegalArgumentException e) {
            log.warn("MCP server '{}' sent an SSE event that is not JSON-RPC (skipped): {}", spec.label(),
                    data.length() > 200 ? data.substring(0, 200) + "…" : data);
            return false;
        }
    }

    private void deliver(JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCResponse response && response.result() instanceof Map<?, ?> result
                && result.get("protocolVersion") instanceof String version && result.containsKey("capabilities")) {
            protocolVersion = version; // the initialize result: later requests carry the negotiated version
        }
        Mono<JSONRPCMessage> handled = handler.apply(Mono.just(message));
        if (message instanceof McpSchema.JSONRPCRequest) {
            Thread.ofVirtual().start(() -> handled.block());
        } else {
            handled.subscribe(ignored -> { }, error -> log.debug("MCP server '{}': handling a message failed", spec.label(), error));
        }
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(spec.connectionTimeout());
        spec.headers().forEach(builder::header);
        if (sessionId != null) builder.header("Mcp-Session-Id", sessionId);
        if (protocolVersion != null) builder.header("MCP-Protocol-Version", protocolVersion);
        return builder;
    }

    private static String readCapped(InputStream body, int max) throws IOException {
        try (body) {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) throw new IOException("response over " + max + " bytes");
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    /** Ends open streams and asks the server to drop the session (best effort, bounded). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (InputStream stream : openStreams) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (sessionId != null) {
            try {
                http.send(request().timeout(Duration.ofSeconds(2)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                log.debug("deleting the session of '{}' failed: {}", spec.label(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.shutdownNow();
        executor.shutdownNow();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }
}
