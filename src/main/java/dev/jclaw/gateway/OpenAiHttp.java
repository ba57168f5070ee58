package dev.jclaw.gateway;

import dev.jclaw.agent.RunEvent;
import dev.jclaw.agent.RunHandle;
import dev.jclaw.agent.RunRequest;
import dev.jclaw.agent.RunResult;
import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI-compatible HTTP: {@code GET /v1/models} lists every agent as {@code openclaw/<id>} and
 * {@code jclaw/<id>}; {@code POST /v1/chat/completions} runs one agent turn, whole or streamed as
 * server-sent events. The agent comes from the model ({@code openclaw}, {@code openclaw/<id>},
 * {@code jclaw/<id>}, {@code agent:<id>}) or the {@code x-openclaw-agent-id} header; the session
 * from {@code x-openclaw-session-key}, else the {@code user} field ({@code openai-user:<user>}),
 * else a fresh session for this request alone, which ends with it (its MCP servers stop).
 */
final class OpenAiHttp {
    private static final Pattern AGENT_MODEL = Pattern.compile("^(?:openclaw|jclaw)[:/]([a-z0-9][a-z0-9_-]{0,63})$|^agent:([a-z0-9][a-z0-9_-]{0,63})$",
            Pattern.CASE_INSENSITIVE);

    private final Gateway gateway;

    OpenAiHttp(Gateway gateway) {
        this.gateway = gateway;
    }

    Object models() {
        JClawConfig config = gateway.engine().config();
        long created = gateway.startedAt() / 1000;
        List<Map<String, Object>> data = new ArrayList<>();
        if (config.defaultAgentId() != null) {
            data.add(Json.map("id", "openclaw", "object", "model", "created", created, "owned_by", "jclaw"));
            data.add(Json.map("id", "jclaw", "object", "model", "created", created, "owned_by", "jclaw"));
        }
        for (AgentConfig agent : config.agents()) {
            data.add(Json.map("id", "openclaw/" + agent.id(), "object", "model", "created", created, "owned_by", "jclaw"));
            data.add(Json.map("id", "jclaw/" + agent.id(), "object", "model", "created", created, "owned_by", "jclaw"));
        }
        return Json.map("object", "list", "data", data);
    }

    int completions(Request request, Response response, Callback callback) throws InterruptedException, IOException {
        Map<String, Object> body = HttpRoutes.body(request, response, callback);
        if (body == null) return 400;
        JClawConfig config = gateway.engine().config();
        String model = body.get("model") instanceof String s && !s.isBlank() ? s.strip() : "openclaw";
        String header = firstHeader(request, "x-jclaw-agent-id", "x-openclaw-agent-id");
        String agentId;
        if (header != null) {
            agentId = header;
        } else if (model.equalsIgnoreCase("openclaw") || model.equalsIgnoreCase("jclaw")) {
            agentId = config.defaultAgentId();
            if (agentId == null) return invalid(response, callback, "no agent is the default: use model `openclaw/<agentId>` (agents: "
                    + config.agents().stream().map(AgentConfig::id).toList() + ")");
        } else {
            Matcher m = AGENT_MODEL.matcher(model);
            if (!m.matches()) return invalid(response, callback, "Invalid `model` \"" + model + "\". Use `openclaw/<agentId>` or `jclaw/<agentId>`"
                    + " (GET /v1/models lists them)");
            agentId = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
        }
        if (config.agent(agentId).isEmpty()) {
            return invalid(response, callback, "unknown agent '" + agentId + "' (agents: " + config.agents().stream().map(AgentConfig::id).toList() + ")");
        }
        if (!(body.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
            return invalid(response, callback, "`messages` must be a non-empty array");
        }
        StringBuilder system = new StringBuilder();
        List<String[]> turns = new ArrayList<>();
        for (Object item : messages) {
            if (!(item instanceof Map<?, ?> m)) return invalid(response, callback, "every message must be an object with role and content");
            String role = String.valueOf(m.get("role")).toLowerCase(Locale.ROOT);
            String text = text(m.get("content"));
            switch (role) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n").append(text);
                case "user", "assistant", "tool" -> turns.add(new String[] {role, text});
                default -> {
                    return invalid(response, callback, "unknown message role \"" + role + "\" (system, developer, user, assistant, tool)");
                }
            }
        }
        int last = -1;
        for (int i = turns.size() - 1; i >= 0; i--) if (turns.get(i)[0].equals("user")) { last = i; break; }
        if (last < 0 || turns.get(last)[1].isBlank()) return invalid(response, callback, "Missing user message in `messages`.");

        String sessionHeader = firstHeader(request, "x-jclaw-session-key", "x-openclaw-session-key");
        String user = body.get("user") instanceof String u && !u.isBlank() ? u.strip() : null;
        boolean fresh = sessionHeader == null && user == null;
        String sessionKey = sessionHeader != null ? sessionHeader : "agent:" + agentId + ":" + (user != null ? "openai-user:"
                + user.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.@-]", "-") : "openai:" + UUID.randomUUID());
        String message = turns.get(last)[1];
        if (fresh && last > 0) {
            // A fresh session has no history: the earlier turns come along as context, as OpenClaw does.
            StringBuilder context = new StringBuilder("Conversation so far:\n");
            for (int i = 0; i < last; i++) context.append(label(turns.get(i)[0])).append(": ").append(turns.get(i)[1]).append('\n');
            message = context.append("\nUser: ").append(message).toString();
        }
        boolean stream = Boolean.TRUE.equals(body.get("stream"));
        LinkedBlockingQueue<String> deltas = new LinkedBlockingQueue<>();
        RunRequest run = RunRequest.of(agentId, message).withSessionKey(sessionKey).withEphemeral(fresh)
                .withExtraSystemPrompt(system.isEmpty() ? null : system.toString())
                .withListener(stream ? event -> {
                    if (RunEvent.ASSISTANT.equals(event.stream()) && event.data().get("delta") instanceof String d) deltas.add(d);
                } : null);
        RunHandle handle;
        try {
            handle = gateway.engine().agents().start(run);
        } catch (IllegalArgumentException e) {
            return invalid(response, callback, e.getMessage());
        } catch (IllegalStateException e) {
            return HttpRoutes.json(response, callback, 503, Json.map("error", Json.map("message", e.getMessage(), "type", "unavailable")));
        }
        gateway.runs().track(handle);
        String id = "chatcmpl-" + handle.runId();
        long created = System.currentTimeMillis() / 1000;
        String modelName = "openclaw/" + agentId;
        if (stream) return stream(response, callback, handle, deltas, id, created, modelName);

        RunResult result;
        try {
            result = handle.result().get(run.timeout().plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            handle.abort("the HTTP request gave up waiting");
            return HttpRoutes.json(response, callback, 504, Json.map("error", Json.map("message", "the run did not end: " + e, "type", "timeout")));
        } catch (InterruptedException e) {
            handle.abort("the gateway is stopping");
            throw e;
        }
        if (result.status() != RunResult.Status.OK) {
            int status = result.status() == RunResult.Status.ERROR ? 502 : 504;
            return HttpRoutes.json(response, callback, status, Json.map("error", Json.map("message", result.error(), "type",
                    result.status() == RunResult.Status.ERROR ? "agent_error" : "timeout", "runId", handle.runId())));
        }
        return HttpRoutes.json(response, callback, 200, Json.map("id", id, "object", "chat.completion", "created", created, "model", modelName,
                "choices", List.of(Json.map("index", 0, "message", Json.map("role", "assistant", "content", result.text()),
                        "finish_reason", finishReason(result))),
                "usage", Json.map("prompt_tokens", result.inputTokens(), "completion_tokens", result.outputTokens(),
                        "total_tokens", result.inputTokens() + result.outputTokens())));
    }

    private int stream(Response response, Callback callback, RunHandle handle, LinkedBlockingQueue<String> deltas, String id, long created,
                       String model) throws InterruptedException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        try {
            HttpRoutes.writeBlocking(response, chunk(id, created, model, Json.map("role", "assistant"), null));
            while (true) {
                String delta = deltas.poll(100, TimeUnit.MILLISECONDS);
                if (delta != null) {
                    HttpRoutes.writeBlocking(response, chunk(id, created, model, Json.map("content", delta), null));
                } else if (handle.result().isDone() && deltas.isEmpty()) {
                    break;
                }
            }
            RunResult result = handle.result().join();
            if (result.status() == RunResult.Status.OK) {
                HttpRoutes.writeBlocking(response, chunk(id, created, model, Map.of(), finishReason(result)));
            } else {
                HttpRoutes.writeBlocking(response, "data: " + Json.write(Json.map("error", Json.map("message", result.error(), "type",
                        result.status() == RunResult.Status.ERROR ? "agent_error" : "timeout", "runId", handle.runId()))) + "\n\n");
            }
            response.write(true, java.nio.ByteBuffer.wrap("data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
            return 200;
        } catch (IOException e) {
            handle.abort("the HTTP client went away");
            callback.failed(e);
            return 499;
        } catch (InterruptedException e) {
            handle.abort("the gateway is stopping");
            callback.failed(e);
            throw e;
        }
    }

    private static String chunk(String id, long created, String model, Map<String, Object> delta, String finish) {
        Map<String, Object> choice = Json.map("index", 0, "delta", delta);
        choice.put("finish_reason", finish);
        return "data: " + Json.write(Json.map("id", id, "object", "chat.completion.chunk", "created", created, "model", model,
                "choices", List.of(choice))) + "\n\n";
    }

    private static String finishReason(RunResult result) {
        return "length".equals(result.stopReason()) ? "length" : "stop";
    }

    private static String label(String role) {
        return switch (role) {
            case "user" -> "User";
            case "assistant" -> "Assistant";
            default -> "Tool";
        };
    }

    /** Message content as text: a string, or the text parts of an array of content parts. */
    private static String text(Object content) {
        if (content == null) return "";
        if (content instanceof String s) return s;
        if (content instanceof List<?> parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "text".equals(p.get("type")) && p.get("text") instanceof String t) {
                    text.append(text.isEmpty() ? "" : "\n").append(t);
                }
            }
            return text.toString();
        }
        return String.valueOf(content);
    }

    private static String firstHeader(Request request, String... names) {
        for (String name : names) {
            String value = request.getHeaders().get(name);
            if (value != null && !value.isBlank()) return value.strip();
        }
        return null;
    }

    private static int invalid(Response response, Callback callback, String message) {
        return HttpRoutes.json(response, callback, 400, Json.map("error", Json.map("message", message, "type", "invalid_request_error")));
    }
}
