package dev.jclaw.provider;

import java.util.List;

/** One message of a conversation sent to a model: what the user said, what the model said, what a tool returned. */
public sealed interface ChatMessage permits ChatMessage.User, ChatMessage.Assistant, ChatMessage.ToolResult {

    record User(String text) implements ChatMessage {}

    /** The model's turn: its text (may be empty) and the tools it asked to call (may be empty). */
    record Assistant(String text, List<ToolCall> toolCalls) implements ChatMessage {
        public Assistant {
            text = text == null ? "" : text;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }
    }

    /** A tool's answer to one call; {@code isError} tells the model the call failed. */
    record ToolResult(String toolCallId, String toolName, String text, boolean isError) implements ChatMessage {}
}
