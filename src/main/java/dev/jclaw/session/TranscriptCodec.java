package dev.jclaw.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.session.TranscriptMessage.Content;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenClaw's v3 transcript lines (pi-coding-agent's session format) to and from JSON. Header:
 * {@code {type:"session",version:3,id,timestamp,cwd}}; entries: {@code {type,id,parentId,timestamp,...}}.
 */
final class TranscriptCodec {
    static final int VERSION = 3;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** Timestamps as JavaScript's {@code toISOString()} writes them: UTC, always milliseconds. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TranscriptCodec() {}

    static String iso(Instant instant) {
        return ISO.format(instant);
    }

    static String header(String sessionId, Instant timestamp, String cwd) {
        ObjectNode header = JSON.createObjectNode();
        header.put("type", "session");
        header.put("version", VERSION);
        header.put("id", sessionId);
        header.put("timestamp", iso(timestamp));
        header.put("cwd", cwd == null ? "" : cwd);
        return header.toString();
    }

    static String messageLine(String id, String parentId, Instant timestamp, TranscriptMessage message) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "message");
        line.put("id", id);
        if (parentId == null) line.putNull("parentId");
        else line.put("parentId", parentId);
        line.put("timestamp", iso(timestamp));
        line.set("message", encode(message, timestamp));
        return line.toString();
    }

    private static JsonNode encode(TranscriptMessage message, Instant timestamp) {
        ObjectNode out = JSON.createObjectNode();
        switch (message) {
            case TranscriptMessage.User user -> {
                out.put("role", "user");
                if (user.content().size() == 1 && user.content().getFirst() instanceof Content.Text text) out.put("content", text.text());
                else out.set("content", encode(user.content()));
                if (!user.provenance().isEmpty()) out.set("provenance", JSON.valueToTree(user.provenance()));
            }
            case TranscriptMessage.Assistant a -> {
                out.put("role", "assistant");
                out.set("content", encode(a.content()));
                if (a.provider() != null) out.put("provider", a.provider());
                if (a.model() != null) out.put("model", a.model());
                if (a.usage() != null) {
                    ObjectNode usage = out.putObject("usage");
                    usage.put("input", a.usage().input());
                    usage.put("output", a.usage().output());
                    usage.put("cacheRead", a.usage().cacheRead());
                    usage.put("cacheWrite", a.usage().cacheWrite());
                    usage.put("totalTokens", a.usage().totalTokens());
                }
                if (a.stopReason() != null) out.put("stopReason", a.stopReason());
            }
            case TranscriptMessage.ToolResult r -> {
                out.put("role", "toolResult");
                out.put("toolCallId", r.toolCallId());
                out.put("toolName", r.toolName());
                out.set("content", encode(r.content()));
                out.put("isError", r.isError());
            }
            case TranscriptMessage.Unknown u -> {
                return parseObject(u.json());
            }
        }
        out.put("timestamp", timestamp.toEpochMilli());
        return out;
    }

    private static ArrayNode encode(List<Content> content) {
        ArrayNode blocks = JSON.createArrayNode();
        for (Content block : content) {
            switch (block) {
                case Content.Text text -> blocks.addObject().put("type", "text").put("text", text.text());
                case Content.ToolCall call -> {
                    ObjectNode node = blocks.addObject().put("type", "toolCall").put("id", call.id()).put("name", call.name());
                    node.set("arguments", JSON.valueToTree(call.arguments()));
                }
                case Content.Unknown other -> blocks.add(parseObject(other.json()));
            }
        }
        return blocks;
    }

    /** The message of a {@code type: "message"} line. */
    static TranscriptMessage decode(JsonNode message) {
        String role = message.path("role").asText();
        return switch (role) {
            case "user" -> new TranscriptMessage.User(content(message.get("content")), provenance(message.get("provenance")));
            case "assistant" -> new TranscriptMessage.Assistant(content(message.get("content")), text(message, "provider"),
                    text(message, "model"), usage(message.get("usage")), text(message, "stopReason"));
            case "toolResult" -> new TranscriptMessage.ToolResult(text(message, "toolCallId"), text(message, "toolName"),
                    content(message.get("content")), message.path("isError").asBoolean(false));
            default -> new TranscriptMessage.Unknown(role, message.toString());
        };
    }

    private static java.util.Map<String, Object> provenance(JsonNode node) {
        if (node == null || !node.isObject()) return java.util.Map.of();
        return JSON.convertValue(node, MAP); // a LinkedHashMap: the order as written
    }

    private static List<Content> content(JsonNode content) {
        List<Content> blocks = new ArrayList<>();
        if (content == null || content.isNull()) return blocks;
        if (content.isTextual()) {
            blocks.add(new Content.Text(content.asText()));
            return blocks;
        }
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            switch (type) {
                case "text" -> blocks.add(new Content.Text(block.path("text").asText()));
                case "toolCall" -> blocks.add(new Content.ToolCall(text(block, "id"), text(block, "name"),
                        block.has("arguments") && block.get("arguments").isObject() ? JSON.convertValue(block.get("arguments"), MAP) : Map.of()));
                default -> blocks.add(new Content.Unknown(type, block.toString()));
            }
        }
        return blocks;
    }

    private static TranscriptMessage.Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) return null;
        return new TranscriptMessage.Usage(usage.path("input").asLong(), usage.path("output").asLong(),
                usage.path("cacheRead").asLong(), usage.path("cacheWrite").asLong(), usage.path("totalTokens").asLong());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static JsonNode parseObject(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
