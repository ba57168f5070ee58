package dev.jclaw.gateway;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP on the gateway's port: {@code /health} (open), {@code /startupz} (open; 503 while starting,
 * as OpenClaw's CLI waits on), {@code /readyz}, and behind the gateway's auth (a bearer token, like
 * every operator API, since they reveal agent and session names): {@code /metrics},
 * {@code /v1/models}, {@code /v1/chat/completions} and {@code /tools/invoke}. Handlers run on
 * virtual threads, so they block freely; every wait is bounded.
 */
final class HttpRoutes extends Handler.Abstract {
    /** Request bodies larger than this are refused with 413 (OpenClaw: 2 MiB for tool calls). */
    static final int MAX_BODY = 2 * 1024 * 1024;

    private final Gateway gateway;
    private final OpenAiHttp openai;
    private final ToolsInvokeHttp tools;

    HttpRoutes(Gateway gateway) {
        this.gateway = gateway;
        this.openai = new OpenAiHttp(gateway);
        this.tools = new ToolsInvokeHttp(gateway);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String route = switch (path) {
            case "/health", "/healthz", "/readyz", "/startupz", "/metrics", "/v1/models", "/v1/chat/completions", "/tools/invoke" -> path;
            default -> "other";
        };
        int status;
        try {
            status = route(path, request, response, callback);
        } catch (Exception e) {
            status = 500;
            if (!response.isCommitted()) {
                json(response, callback, 500, Json.map("error", Json.map("message", "internal error: " + e, "type", "api_error")));
            } else {
                callback.failed(e);
            }
        }
        gateway.metrics().http(route, status);
        return true;
    }

    private int route(String path, Request request, Response response, Callback callback) throws Exception {
        Gateway.State state = gateway.state();
        switch (path) {
            case "/health", "/healthz", "/readyz" -> {
                boolean ready = state == Gateway.State.READY;
                return json(response, callback, ready ? 200 : 503, Json.map("ok", ready, "status", stateWord(state),
                        "version", gateway.version(), "uptimeMs", System.currentTimeMillis() - gateway.startedAt()));
            }
            case "/startupz" -> {
                if (state == Gateway.State.STARTING) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                    return json(response, callback, 503, Json.map("ok", false, "status", "starting", "pendingReason",
                            gateway.startupFailure() != null ? gateway.startupFailure() : "engine starting"));
                }
                boolean ready = state == Gateway.State.READY;
                return json(response, callback, ready ? 200 : 503, Json.map("ok", ready, "status", ready ? "started" : stateWord(state),
                        "version", gateway.version(), "uptimeMs", System.currentTimeMillis() - gateway.startedAt()));
            }
            default -> {
            }
        }
        boolean known = path.equals("/metrics") || path.equals("/v1/models") || path.equals("/v1/chat/completions") || path.equals("/tools/invoke");
        if (!known) {
            return json(response, callback, 404, Json.map("error", Json.map("message", "no route " + path
                    + " (routes: /health, /startupz, /metrics, /v1/models, /v1/chat/completions, /tools/invoke, WebSocket on /)", "type", "not_found")));
        }
        if (state != Gateway.State.READY) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return json(response, callback, 503, Json.map("error", Json.map("message", "the gateway is " + stateWord(state), "type", "unavailable")));
        }
        if (!authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return json(response, callback, 401, Json.map("error", Json.map("message", "unauthorized: send Authorization: Bearer <gateway "
                    + gateway.options().authMode() + ">", "type", "unauthorized")));
        }
        return switch (path) {
            case "/metrics" -> {
                if (!request.getMethod().equals("GET")) yield notAllowed(response, callback, "GET");
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                Content.Sink.write(response, true, gateway.metrics().scrape(), callback);
                yield 200;
            }
            case "/v1/models" -> request.getMethod().equals("GET") ? json(response, callback, 200, openai.models())
                    : notAllowed(response, callback, "GET");
            case "/v1/chat/completions" -> request.getMethod().equals("POST") ? openai.completions(request, response, callback)
                    : notAllowed(response, callback, "POST");
            default -> request.getMethod().equals("POST") ? tools.invoke(request, response, callback) : notAllowed(response, callback, "POST");
        };
    }

    private static String stateWord(Gateway.State state) {
        return switch (state) {
            case STARTING -> "starting";
            case READY -> "ok";
            case DRAINING -> "stopping";
            case CLOSED -> "stopped";
        };
    }

    /** Auth none lets everyone in; else the bearer must be the gateway's token (or password). */
    private boolean authorized(Request request) {
        if (gateway.options().authMode() == dev.jclaw.config.GatewayConfig.AuthMode.NONE) return true;
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        Handshake handshake = gateway.handshake();
        return handshake != null && handshake.matches(header.substring(7).strip());
    }

    static int notAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return json(response, callback, 405, Json.map("error", Json.map("message", "use " + allowed, "type", "method_not_allowed")));
    }

    static int json(Response response, Callback callback, int status, Object body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, Json.write(body), callback);
        return status;
    }

    /** How much of a refused body is read and dropped before the 413, and for how long at most. */
    static final long DISCARD_LIMIT = 16L * 1024 * 1024;
    static final long DISCARD_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Reads and drops what is left of a refused body, bounded in bytes and time. Why: a client still
     * sending when the server answers and closes gets a TCP reset, and the reset destroys the 413 it
     * had not yet read ("no bytes" instead of "payload too large"). A client that sent
     * {@code Expect: 100-continue} has sent nothing yet, so nothing is read (reading would invite it).
     */
    static void discardBody(Request request) throws InterruptedException {
        if (request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) return;
        long deadline = System.nanoTime() + DISCARD_NANOS;
        long dropped = 0;
        while (dropped <= DISCARD_LIMIT) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                CompletableFuture<Void> readable = new CompletableFuture<>();
                request.demand(() -> readable.complete(null));
                try {
                    readable.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    return;
                }
                continue;
            }
            dropped += chunk.remaining();
            boolean done = chunk.isLast() || Content.Chunk.isFailure(chunk);
            chunk.release();
            if (done) return;
        }
    }

    /** The request body as JSON, or an error already answered (null). */
    static Map<String, Object> body(Request request, Response response, Callback callback) throws InterruptedException {
        if (request.getLength() > MAX_BODY) {
            discardBody(request);
            json(response, callback, 413, Json.map("error", Json.map("message", "payload too large: " + request.getLength()
                    + " bytes exceed " + MAX_BODY, "type", "invalid_request_error")));
            return null;
        }
        byte[] bytes;
        try {
            bytes = Content.Source.asByteArrayAsync(request, MAX_BODY).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            boolean tooLarge = message.contains("max") || message.contains("too large") || message.contains("limit");
            if (tooLarge) discardBody(request);
            json(response, callback, tooLarge ? 413 : 400, Json.map("error", Json.map("message", tooLarge
                    ? "payload too large: the body exceeds " + MAX_BODY + " bytes" : "cannot read the body: " + message,
                    "type", "invalid_request_error")));
            return null;
        } catch (TimeoutException e) {
            json(response, callback, 408, Json.map("error", Json.map("message", "request body timeout", "type", "invalid_request_error")));
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(bytes.length == 0 ? "{}".getBytes() : bytes);
            if (!tree.isObject()) throw new IOException("the body must be a JSON object, got " + tree.getNodeType().toString().toLowerCase());
            @SuppressWarnings("unchecked") Map<String, Object> map = Json.MAPPER.convertValue(tree, Map.class);
            return map;
        } catch (IOException e) {
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? "the body is not JSON: "
                    + p.getOriginalMessage() + " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr()
                    : e.getMessage();
            json(response, callback, 400, Json.map("error", Json.map("message", message, "type", "invalid_request_error")));
            return null;
        }
    }

    /** Writes part of a streamed body and waits (bounded by the connector's idle timeout) until it is out. */
    static void writeBlocking(Response response, String text) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
            written.block();
        }
    }
}
