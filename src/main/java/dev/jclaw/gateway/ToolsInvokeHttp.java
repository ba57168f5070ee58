package dev.jclaw.gateway;

import dev.jclaw.tools.ToolOutput;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /tools/invoke {tool | name, args, action?, sessionKey?, agentId?, idempotencyKey?, timeoutMs?}}:
 * calls one tool as the agent's runs in that session would see it — its allowed built-ins and the
 * MCP tools its policy reaches (the session's MCP runtime starts if it is not running). A repeated
 * {@code idempotencyKey} gets the first call's answer instead of calling again (kept 5 minutes).
 */
final class ToolsInvokeHttp {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private record Answer(int status, Object body, long at) {}

    private final Gateway gateway;
    private final Map<String, CompletableFuture<Answer>> done = new ConcurrentHashMap<>();

    ToolsInvokeHttp(Gateway gateway) {
        this.gateway = gateway;
    }

    int invoke(Request request, Response response, Callback callback) throws InterruptedException {
        Map<String, Object> body = HttpRoutes.body(request, response, callback);
        if (body == null) return 400;
        Object name = body.get("tool") != null ? body.get("tool") : body.get("name");
        if (!(name instanceof String tool) || tool.isBlank()) {
            return HttpRoutes.json(response, callback, 400, error("invalid_request", "tools.invoke requires name (or tool): the tool's name"));
        }
        Object rawArgs = body.getOrDefault("args", Map.of());
        if (!(rawArgs instanceof Map<?, ?> argsMap)) return HttpRoutes.json(response, callback, 400, error("invalid_request", "args must be an object"));
        Map<String, Object> args = new LinkedHashMap<>();
        argsMap.forEach((k, v) -> args.put(String.valueOf(k), v));
        if (body.get("action") instanceof String action && !args.containsKey("action")) args.put("action", action);
        String agentId = body.get("agentId") instanceof String a && !a.isBlank() ? a.strip() : null;
        String sessionKey = body.get("sessionKey") instanceof String s && !s.isBlank() ? s.strip() : null;
        Duration timeout = body.get("timeoutMs") instanceof Number n && n.longValue() > 0
                ? Duration.ofMillis(Math.min(n.longValue(), MAX_TIMEOUT.toMillis())) : DEFAULT_TIMEOUT;
        String key = body.get("idempotencyKey") instanceof String k && !k.isBlank() ? k : null;

        Answer answer;
        if (key == null) {
            answer = call(agentId, sessionKey, tool.strip(), args, timeout);
        } else {
            prune();
            CompletableFuture<Answer> mine = new CompletableFuture<>();
            CompletableFuture<Answer> first = done.putIfAbsent(key, mine);
            if (first == null) {
                try {
                    mine.complete(call(agentId, sessionKey, tool.strip(), args, timeout));
                } catch (InterruptedException | RuntimeException e) {
                    done.remove(key);
                    mine.completeExceptionally(e);
                    throw e;
                }
                answer = mine.join();
            } else {
                try {
                    answer = first.get(timeout.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    answer = new Answer(409, error("conflict", "the first call with idempotencyKey " + key + " did not finish: " + e), 0);
                }
            }
        }
        return HttpRoutes.json(response, callback, answer.status(), answer.body());
    }

    private Answer call(String agentId, String sessionKey, String tool, Map<String, Object> args, Duration timeout) throws InterruptedException {
        long now = System.currentTimeMillis();
        try {
            ToolOutput output = gateway.engine().agents().invokeTool(agentId, sessionKey, tool, args, timeout);
            return new Answer(200, Json.map("ok", true, "result", Json.map("content", List.of(Json.map("type", "text", "text", output.text())),
                    "isError", output.isError(), "text", output.text())), now);
        } catch (NoSuchElementException e) {
            return new Answer(404, error("not_found", e.getMessage()), now);
        } catch (IllegalArgumentException e) {
            return new Answer(400, error("invalid_request", e.getMessage()), now);
        } catch (IllegalStateException e) {
            return new Answer(503, error("unavailable", e.getMessage()), now);
        } catch (dev.jclaw.mcp.McpException e) {
            return new Answer(502, error("tool_error", e.getMessage()), now);
        }
    }

    private void prune() {
        long cutoff = System.currentTimeMillis() - RunTracker.DEDUPE_TTL.toMillis();
        done.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally() && f.join().at() < cutoff);
        if (done.size() > RunTracker.DEDUPE_MAX) done.values().removeIf(CompletableFuture::isDone);
    }

    private static Map<String, Object> error(String type, String message) {
        return Json.map("ok", false, "error", Json.map("type", type, "message", message));
    }
}
