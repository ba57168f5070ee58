package dev.jclaw.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.TranscriptEntry;
import dev.jclaw.session.TranscriptMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the session tools share: resolving a target, rendering sessions and messages, JSON output. */
final class SessionTools {
    static final ObjectMapper JSON = new ObjectMapper();

    private SessionTools() {}

    static ToolOutput json(Map<String, Object> value, boolean isError) {
        try {
            return new ToolOutput(JSON.writeValueAsString(value), isError);
        } catch (JsonProcessingException e) {
            return ToolOutput.error("could not render the result: " + e.getMessage());
        }
    }

    static ToolOutput refused(String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "forbidden");
        out.put("error", message);
        return json(out, true);
    }

    /**
     * The session a tool call names: {@code sessionKey} (scoped to the caller's agent when it has no
     * {@code agent:} prefix), or {@code label} of {@code agentId} (default the caller's agent).
     */
    static SessionKey target(ToolContext context, Args args) {
        String key = args.string("sessionKey");
        String label = args.string("label");
        if (key != null) {
            SessionKey main = context.services().config().session().mainSessionKey(context.agentId());
            return SessionKey.scoped(key, context.agentId(), main);
        }
        if (label != null) {
            String agent = args.string("agentId") != null ? args.string("agentId") : context.agentId();
            Optional<SessionEntry> entry = context.services().sessions().findByLabel(agent, label);
            return entry.map(SessionEntry::key).orElseThrow(() ->
                    new IllegalArgumentException("no session of agent '" + agent + "' is labelled \"" + label + "\""));
        }
        throw new IllegalArgumentException("name the session: \"sessionKey\", or \"label\" (with \"agentId\" for another agent's)");
    }

    static Map<String, Object> describe(SessionEntry entry, String mainKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", entry.key().toString());
        out.put("agentId", entry.agentId());
        out.put("kind", entry.kind().toString());
        if (entry.label() != null) out.put("label", entry.label());
        if (entry.channel() != null) out.put("channel", entry.channel());
        if (entry.spawnedBy() != null) out.put("spawnedBy", entry.spawnedBy());
        out.put("updatedAt", entry.updatedAt().toString());
        return out;
    }

    /** Messages for a model to read: role, text, and (with {@code includeTools}) tool calls and results. */
    static List<Map<String, Object>> messages(List<TranscriptEntry> entries, boolean includeTools) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TranscriptEntry entry : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            switch (entry.message()) {
                case TranscriptMessage.User user -> {
                    m.put("role", "user");
                    m.put("text", text(user.content()));
                }
                case TranscriptMessage.Assistant assistant -> {
                    m.put("role", "assistant");
                    m.put("text", text(assistant.content()));
                    if (includeTools) {
                        List<Map<String, Object>> calls = new ArrayList<>();
                        for (TranscriptMessage.Content c : assistant.content()) {
                            if (c instanceof TranscriptMessage.Content.ToolCall call) calls.add(Map.of("name", call.name(), "arguments", call.arguments()));
                        }
                        if (!calls.isEmpty()) m.put("toolCalls", calls);
                    }
                    if (!includeTools && m.get("text").toString().isEmpty()) continue;
                }
                case TranscriptMessage.ToolResult result -> {
                    if (!includeTools) continue;
                    m.put("role", "toolResult");
                    m.put("toolName", result.toolName());
                    m.put("text", text(result.content()));
                    if (result.isError()) m.put("isError", true);
                }
                case TranscriptMessage.Unknown ignored -> {
                    continue;
                }
            }
            m.put("timestamp", entry.timestamp().toString());
            out.add(m);
        }
        return out;
    }

    static String text(List<TranscriptMessage.Content> content) {
        StringBuilder text = new StringBuilder();
        for (TranscriptMessage.Content c : content) {
            if (c instanceof TranscriptMessage.Content.Text t) {
                if (!text.isEmpty()) text.append('\n');
                text.append(t.text());
            }
        }
        return text.toString();
    }

    static SessionKind kind(String wire) {
        for (SessionKind kind : SessionKind.values()) if (kind.toString().equals(wire)) return kind;
        throw new IllegalArgumentException("sessions_list: unknown kind \"" + wire + "\" (main, direct, group, channel, subagent, cron, hook, other)");
    }
}
