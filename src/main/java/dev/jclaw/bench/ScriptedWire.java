package dev.jclaw.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.bench.ScriptedProviderServer.Api;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest.Message;
import dev.jclaw.bench.ScriptedRequest.ToolCall;
import dev.jclaw.bench.ScriptedRequest.ToolResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three wire formats the scripted server speaks: reading a request into a {@link ScriptedRequest}
 * and writing a {@link Reply} as OpenAI chat-completions, Anthropic messages or Ollama chat JSON.
 * A streamed answer is a list of pieces, each written and flushed on its own (an SSE event, or one
 * NDJSON line for Ollama); a plain answer is one piece.
 */
final class ScriptedWire {
    static final ObjectMapper JSON = new ObjectMapper();

    private ScriptedWire() {}

    /** A request body the server cannot read; answered with 400 and this message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    static ScriptedRequest parse(Api api, String body, Map<String, String> headers) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("request body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new BadRequest("request body must be a JSON object");
        String model = root.path("model").asText("");
        if (model.isEmpty()) throw new BadRequest("\"model\" is required");
        JsonNode messagesNode = root.path("messages");
        if (!messagesNode.isArray()) throw new BadRequest("\"messages\" must be an array");
        List<String> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        Map<String, JsonNode> tools = new LinkedHashMap<>();
        if (api == Api.ANTHROPIC) {
            JsonNode s = root.path("system");
            if (!s.isMissingNode() && !s.isNull()) system.add(text(s));
            for (JsonNode m : messagesNode) anthropicMessage(m, messages);
            for (JsonNode t : root.path("tools")) tools.put(t.path("name").asText(), t.path("input_schema"));
        } else {
            for (JsonNode m : messagesNode) {
                String role = m.path("role").asText();
                if (role.equals("system") || role.equals("developer")) system.add(text(m.path("content")));
                else messages.add(chatMessage(role, m));
            }
            for (JsonNode t : root.path("tools")) {
                JsonNode f = t.path("function");
                tools.put(f.path("name").asText(), f.path("parameters"));
            }
        }
        // OpenAI and Anthropic stream only when asked; Ollama streams unless told not to.
        boolean stream = api == Api.OLLAMA ? root.path("stream").asBoolean(true) : root.path("stream").asBoolean(false);
        return new ScriptedRequest(api, model, String.join("\n\n", system), messages, tools, stream, headers, root);
    }

    /** OpenAI and Ollama: one message per role, tool results as role {@code tool}. */
    private static Message chatMessage(String role, JsonNode m) {
        String text = text(m.path("content"));
        if (role.equals("tool")) {
            String callId = m.path("tool_call_id").isTextual() ? m.path("tool_call_id").asText() : null;
            String name = m.path("tool_name").isTextual() ? m.path("tool_name").asText() : m.path("name").asText(null);
            return new Message("tool", text, List.of(), new ToolResult(callId, name, text, false));
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : m.path("tool_calls")) {
            JsonNode f = c.path("function");
            JsonNode args = f.path("arguments");
            calls.add(new ToolCall(c.path("id").asText(null), f.path("name").asText(), args.isTextual() ? args.asText() : args.toString()));
        }
        return new Message(role, text, calls, null);
    }

    /** Anthropic: content blocks; each tool_result block becomes a {@code tool} message of its own. */
    private static void anthropicMessage(JsonNode m, List<Message> out) {
        String role = m.path("role").asText();
        JsonNode content = m.path("content");
        if (content.isTextual()) {
            out.add(new Message(role, content.asText(), List.of(), null));
            return;
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(), block.path("name").asText(), block.path("input").toString()));
                case "tool_result" -> {
                    String result = text(block.path("content"));
                    out.add(new Message("tool", result, List.of(),
                            new ToolResult(block.path("tool_use_id").asText(), null, result, block.path("is_error").asBoolean(false))));
                }
                default -> { } // images, thinking: not scripted
            }
        }
        if (!text.isEmpty() || !calls.isEmpty()) out.add(new Message(role, text.toString(), calls, null));
    }

    /** A content value: a string, or an array of {type:text, text} parts. */
    private static String text(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) if (part.path("text").isTextual()) sb.append(part.path("text").asText());
        return sb.toString();
    }

    // ---- answers ----

    /**
     * The pieces of a successful answer; {@code ids} gives the server-assigned tool call ids, one per
     * call; {@code responseId} numbers the response.
     */
    static List<String> answer(Api api, ScriptedRequest request, Reply reply, List<String> ids, long responseId) {
        int inputTokens = estimateTokens(request);
        return switch (api) {
            case OPENAI -> request.stream() ? openAiStream("chatcmpl-" + responseId, request.model(), reply, ids, inputTokens)
                    : List.of(openAiMessage("chatcmpl-" + responseId, request.model(), reply, ids, inputTokens));
            case ANTHROPIC -> request.stream() ? anthropicStream("msg_" + responseId, request.model(), reply, ids, inputTokens)
                    : List.of(anthropicMessage("msg_" + responseId, request.model(), reply, ids, inputTokens));
            case OLLAMA -> request.stream() ? ollamaStream(request.model(), reply, ids, inputTokens)
                    : List.of(ollamaLine(request.model(), reply.deltasText(), reply.calls(), ids, true, inputTokens, reply.outputTokens()));
        };
    }

    static String contentType(Api api, boolean stream) {
        if (!stream) return "application/json";
        return api == Api.OLLAMA ? "application/x-ndjson" : "text/event-stream";
    }

    /**
     * What a hanging answer writes now and then, so that a client that went away is noticed (the write
     * fails) without the client seeing anything: an SSE comment, or whitespace, which JSON ignores.
     */
    static String heartbeat(Api api, boolean stream) {
        return stream && api != Api.OLLAMA ? ":\n\n" : " ";
    }

    static String errorBody(Api api, int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        switch (api) {
            case OPENAI -> {
                ObjectNode error = root.putObject("error");
                error.put("message", message);
                error.put("type", status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error");
                error.putNull("code");
            }
            case ANTHROPIC -> {
                root.put("type", "error");
                ObjectNode error = root.putObject("error");
                error.put("type", switch (status) {
                    case 401 -> "authentication_error";
                    case 403 -> "permission_error";
                    case 404 -> "not_found_error";
                    case 429 -> "rate_limit_error";
                    case 529 -> "overloaded_error";
                    default -> status >= 500 ? "api_error" : "invalid_request_error";
                });
                error.put("message", message);
            }
            case OLLAMA -> root.put("error", message);
        }
        return root.toString();
    }

    static String models(Api api, List<String> ids) {
        ObjectNode root = JSON.createObjectNode();
        if (api == Api.OLLAMA) {
            ArrayNode models = root.putArray("models");
            for (String id : ids) models.addObject().put("name", id).put("model", id);
        } else {
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            for (String id : ids) data.addObject().put("id", id).put("object", "model").put("owned_by", "jclaw-scripted");
        }
        return root.toString();
    }

    // OpenAI chat-completions: chunks with choices[0].delta, tool call arguments in two pieces, usage last.

    private static List<String> openAiStream(String id, String model, Reply reply, List<String> ids, int inputTokens) {
        List<String> out = new ArrayList<>();
        long created = Instant.now().getEpochSecond();
        ObjectNode first = openAiChunk(id, model, created);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                .putObject("delta").put("role", "assistant").put("content", "");
        out.add(sse(null, first));
        for (String delta : reply.deltas()) {
            ObjectNode chunk = openAiChunk(id, model, created);
            chunk.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta").put("content", delta);
            out.add(sse(null, chunk));
        }
        for (int i = 0; i < reply.calls().size(); i++) {
            Reply.Call call = reply.calls().get(i);
            String[] halves = halves(call.arguments());
            ObjectNode start = openAiChunk(id, model, created);
            ObjectNode startCall = start.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").putArray("tool_calls").addObject();
            startCall.put("index", i).put("id", ids.get(i)).put("type", "function");
            startCall.putObject("function").put("name", call.name()).put("arguments", halves[0]);
            out.add(sse(null, start));
            ObjectNode rest = openAiChunk(id, model, created);
            ObjectNode restCall = rest.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").putArray("tool_calls").addObject();
            restCall.put("index", i).putObject("function").put("arguments", halves[1]);
            out.add(sse(null, rest));
        }
        ObjectNode last = openAiChunk(id, model, created);
        last.withArray("choices").addObject().put("index", 0).put("finish_reason", reply.calls().isEmpty() ? "stop" : "tool_calls").putObject("delta");
        out.add(sse(null, last));
        ObjectNode usage = openAiChunk(id, model, created);
        usage.putArray("choices");
        openAiUsage(usage, inputTokens, reply.outputTokens());
        out.add(sse(null, usage));
        out.add("data: [DONE]\n\n");
        return out;
    }

    private static String openAiMessage(String id, String model, Reply reply, List<String> ids, int inputTokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion").put("created", Instant.now().getEpochSecond()).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", reply.calls().isEmpty() ? "stop" : "tool_calls");
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String text = reply.deltasText();
        if (text.isEmpty() && !reply.calls().isEmpty()) message.putNull("content");
        else message.put("content", text);
        if (!reply.calls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < reply.calls().size(); i++) {
                ObjectNode c = calls.addObject().put("id", ids.get(i)).put("type", "function");
                c.putObject("function").put("name", reply.calls().get(i).name()).put("arguments", reply.calls().get(i).arguments());
            }
        }
        openAiUsage(root, inputTokens, reply.outputTokens());
        return root.toString();
    }

    private static ObjectNode openAiChunk(String id, String model, long created) {
        return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
    }

    private static void openAiUsage(ObjectNode root, int input, int output) {
        root.putObject("usage").put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
    }

    // Anthropic messages: message_start, one content block per text and per tool_use, message_delta, message_stop.

    private static List<String> anthropicStream(String id, String model, Reply reply, List<String> ids, int inputTokens) {
        List<String> out = new ArrayList<>();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 1);
        out.add(sse("message_start", start));
        int index = 0;
        if (!reply.deltas().isEmpty()) {
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            out.add(sse("content_block_start", blockStart));
            for (String delta : reply.deltas()) {
                ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                d.putObject("delta").put("type", "text_delta").put("text", delta);
                out.add(sse("content_block_delta", d));
            }
            out.add(sse("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        for (int i = 0; i < reply.calls().size(); i++, index++) {
            Reply.Call call = reply.calls().get(i);
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "tool_use").put("id", ids.get(i)).put("name", call.name()).putObject("input");
            out.add(sse("content_block_start", blockStart));
            for (String half : halves(call.arguments())) {
                ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                d.putObject("delta").put("type", "input_json_delta").put("partial_json", half);
                out.add(sse("content_block_delta", d));
            }
            out.add(sse("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
        }
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", reply.calls().isEmpty() ? "end_turn" : "tool_use").putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", reply.outputTokens());
        out.add(sse("message_delta", delta));
        out.add(sse("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return out;
    }

    private static String anthropicMessage(String id, String model, Reply reply, List<String> ids, int inputTokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        ArrayNode content = root.putArray("content");
        if (!reply.deltas().isEmpty()) content.addObject().put("type", "text").put("text", reply.deltasText());
        for (int i = 0; i < reply.calls().size(); i++) {
            content.addObject().put("type", "tool_use").put("id", ids.get(i)).put("name", reply.calls().get(i).name())
                    .set("input", reply.calls().get(i).argumentsTree());
        }
        root.put("stop_reason", reply.calls().isEmpty() ? "end_turn" : "tool_use").putNull("stop_sequence");
        root.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", reply.outputTokens());
        return root.toString();
    }

    // Ollama /api/chat: one JSON object per line; tool calls come whole, arguments as an object.

    private static List<String> ollamaStream(String model, Reply reply, List<String> ids, int inputTokens) {
        List<String> out = new ArrayList<>();
        for (String delta : reply.deltas()) out.add(ollamaLine(model, delta, List.of(), ids, false, 0, 0));
        if (!reply.calls().isEmpty()) out.add(ollamaLine(model, "", reply.calls(), ids, false, 0, 0));
        out.add(ollamaLine(model, "", List.of(), ids, true, inputTokens, reply.outputTokens()));
        return out;
    }

    private static String ollamaLine(String model, String text, List<Reply.Call> calls, List<String> ids, boolean done,
                                     int inputTokens, int outputTokens) {
        ObjectNode root = JSON.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
        ObjectNode message = root.putObject("message").put("role", "assistant").put("content", text);
        if (!calls.isEmpty()) {
            ArrayNode array = message.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                ObjectNode c = array.addObject().put("id", ids.get(i));
                c.putObject("function").put("index", i).put("name", calls.get(i).name()).set("arguments", calls.get(i).argumentsTree());
            }
        }
        root.put("done", done);
        if (done) root.put("done_reason", "stop").put("prompt_eval_count", inputTokens).put("eval_count", outputTokens);
        return root + "\n";
    }

    private static String sse(String event, ObjectNode data) {
        return event == null ? "data: " + data + "\n\n" : "event: " + event + "\ndata: " + data + "\n\n";
    }

    /** JSON text in two pieces, so clients must join streamed arguments. */
    private static String[] halves(String json) {
        int mid = json.length() / 2;
        return new String[] {json.substring(0, mid), json.substring(mid)};
    }

    /** About four characters per token: enough for usage figures to be plausible and non-zero. */
    private static int estimateTokens(ScriptedRequest request) {
        int chars = request.systemPrompt().length();
        for (Message m : request.messages()) chars += m.text().length();
        return Math.max(1, chars / 4);
    }
}
