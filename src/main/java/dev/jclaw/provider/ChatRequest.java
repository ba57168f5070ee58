package dev.jclaw.provider;

import java.util.List;

/** One model turn to run: the system prompt, the conversation so far, and the tools offered. */
public record ChatRequest(String systemPrompt, List<ChatMessage> messages, List<ToolSpec> tools) {
    public ChatRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
