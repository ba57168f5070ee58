package dev.jclaw.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.provider.ChatMessage;
import dev.jclaw.provider.ChatResult;
import dev.jclaw.provider.ToolCall;
import dev.jclaw.session.TranscriptEntry;
import dev.jclaw.session.TranscriptMessage;
import dev.jclaw.session.TranscriptMessage.Content;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Between transcript entries (OpenClaw's v3 format) and the provider's messages, both ways. */
final class Conversation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private Conversation() {}

    /**
     * The messages to send, oldest first. Tool results whose call is not in the window (the window
     * cut it off) are dropped, as a provider would refuse them.
     */
    static List<ChatMessage> fromTranscript(List<TranscriptEntry> entries) {
        List<ChatMessage> messages = new ArrayList<>();
        java.util.Set<String> calls = new java.util.HashSet<>();
        for (TranscriptEntry entry : entries) {
            switch (entry.message()) {
                case TranscriptMessage.User user -> messages.add(new ChatMessage.User(text(user.content())));
                case TranscriptMessage.Assistant assistant -> {
                    List<ToolCall> toolCalls = new ArrayList<>();
                    for (Content c : assistant.content()) {
                        if (c instanceof Content.ToolCall call) {
                            toolCalls.add(new ToolCall(call.id(), call.name(), json(call.arguments())));
                            calls.add(call.id());
                        }
                    }
                    messages.add(new ChatMessage.Assistant(text(assistant.content()), toolCalls));
                }
                case TranscriptMessage.ToolResult result -> {
                    if (calls.contains(result.toolCallId())) {
                        messages.add(new ChatMessage.ToolResult(result.toolCallId(), result.toolName(), text(result.content()), result.isError()));
                    }
                }
                case TranscriptMessage.Unknown ignored -> { }
            }
        }
        return messages;
    }

    /** The transcript entry of a model turn. */
    static TranscriptMessage.Assistant assistant(ChatResult result) {
        List<Content> content = new ArrayList<>();
        if (!result.text().isEmpty()) content.add(new Content.Text(result.text()));
        for (ToolCall call : result.toolCalls()) content.add(new Content.ToolCall(call.id(), call.name(), arguments(call.arguments())));
        ChatResult.Usage usage = result.usage();
        return new TranscriptMessage.Assistant(content, result.provider(), result.model(),
                new TranscriptMessage.Usage(usage.inputTokens(), usage.outputTokens(), 0, 0, usage.inputTokens() + usage.outputTokens()),
                result.stopReason());
    }

    /** A model's arguments as a map; text that is not a JSON object is kept under {@code _raw}, so nothing is lost. */
    static Map<String, Object> arguments(String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            Map<String, Object> parsed = JSON.readValue(json, MAP);
            return parsed == null ? Map.of() : parsed;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Map.of("_raw", json);
        }
    }

    static String json(Map<String, Object> arguments) {
        try {
            return JSON.writeValueAsString(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(List<Content> content) {
        StringBuilder text = new StringBuilder();
        for (Content c : content) {
            if (c instanceof Content.Text t) {
                if (!text.isEmpty()) text.append('\n');
                text.append(t.text());
            }
        }
        return text.toString();
    }
}
