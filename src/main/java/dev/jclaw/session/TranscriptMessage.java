package dev.jclaw.session;

import java.util.List;
import java.util.Map;

/**
 * A message as OpenClaw's v3 transcripts store it ({@code message} of a {@code type: "message"} line).
 * Roles JClaw does not model (custom, bashExecution, ...) are kept as {@link Unknown} with their JSON,
 * so reading and writing a transcript loses nothing.
 */
public sealed interface TranscriptMessage {

    /**
     * {@code {role: "user", content, provenance?}}; text content may be written as a plain string.
     *
     * @param provenance where the message came from when not from the session's own user (e.g.
     *                   {@code {kind: "inter_session", sourceSessionKey}}); empty otherwise
     */
    record User(List<Content> content, Map<String, Object> provenance) implements TranscriptMessage {
        public User {
            content = List.copyOf(content);
            provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        }

        public User(List<Content> content) {
            this(content, Map.of());
        }

        public static User text(String text) {
            return new User(List.of(new Content.Text(text)), Map.of());
        }

        public static User text(String text, Map<String, Object> provenance) {
            return new User(List.of(new Content.Text(text)), provenance);
        }
    }

    /**
     * {@code {role: "assistant", content: [text | toolCall], provider, model, usage, stopReason}}.
     *
     * @param usage      token usage of this response, or null
     * @param stopReason {@code stop}, {@code length}, {@code toolUse}, {@code error} or {@code aborted}
     */
    record Assistant(List<Content> content, String provider, String model, Usage usage, String stopReason)
            implements TranscriptMessage {
        public Assistant {
            content = List.copyOf(content);
        }
    }

    /** {@code {role: "toolResult", toolCallId, toolName, content, isError}}. */
    record ToolResult(String toolCallId, String toolName, List<Content> content, boolean isError) implements TranscriptMessage {
        public ToolResult {
            content = List.copyOf(content);
        }
    }

    /** A message of another role, as its JSON text. */
    record Unknown(String role, String json) implements TranscriptMessage {}

    /** Tokens of one assistant response. */
    record Usage(long input, long output, long cacheRead, long cacheWrite, long totalTokens) {}

    /** A content block. */
    sealed interface Content {
        record Text(String text) implements Content {}

        /** @param arguments the call's arguments as JSON-compatible values (maps, lists, strings, numbers, booleans) */
        record ToolCall(String id, String name, Map<String, Object> arguments) implements Content {
            public ToolCall {
                arguments = arguments == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
            }
        }

        /** A block of another type (image, thinking, ...), as its JSON text. */
        record Unknown(String type, String json) implements Content {}
    }
}
