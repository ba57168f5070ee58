package dev.jclaw.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Our conversation in LangChain4j's terms, and LangChain4j's answer in ours. */
final class Conversation {
    private Conversation() {}

    /** A turn ready to send to any model: the request, and the tool schemas to restore on the wire. */
    record Prepared(dev.langchain4j.model.chat.request.ChatRequest request, Map<String, JsonNode> exactSchemas) {}

    static Prepared prepare(ChatRequest request) {
        List<dev.langchain4j.data.message.ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) messages.add(SystemMessage.from(request.systemPrompt()));
        for (ChatMessage message : request.messages()) {
            switch (message) {
                case ChatMessage.User user -> messages.add(UserMessage.from(user.text()));
                case ChatMessage.Assistant assistant -> {
                    // An empty assistant turn is refused by Anthropic ("content must be non-empty") and says nothing.
                    if (assistant.text().isEmpty() && assistant.toolCalls().isEmpty()) continue;
                    List<ToolExecutionRequest> calls = assistant.toolCalls().stream()
                            .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build())
                            .toList();
                    messages.add(AiMessage.builder().text(assistant.text().isEmpty() ? null : assistant.text()).toolExecutionRequests(calls).build());
                }
                case ChatMessage.ToolResult result -> messages.add(ToolExecutionResultMessage.builder()
                        .id(result.toolCallId())
                        .toolName(result.toolName())
                        .text(result.text() == null ? "" : result.text())
                        .isError(result.isError() ? Boolean.TRUE : null)
                        .build());
            }
        }
        var builder = dev.langchain4j.model.chat.request.ChatRequest.builder().messages(messages);
        ToolSchemas.Mapped tools = ToolSchemas.map(request.tools());
        if (!tools.specifications().isEmpty()) builder.toolSpecifications(tools.specifications());
        return new Prepared(builder.build(), tools.exact());
    }

    /**
     * Our result from LangChain4j's answer. A tool call without an id (older Ollama) gets one, unique
     * in the turn, so its result can be matched to it.
     */
    static ChatResult result(ChatResponse response, String provider, String model, List<ChatResult.Attempt> attempts) {
        AiMessage message = response.aiMessage();
        List<ToolCall> calls = new ArrayList<>();
        List<ToolExecutionRequest> requests = message.toolExecutionRequests() == null ? List.of() : message.toolExecutionRequests();
        for (int i = 0; i < requests.size(); i++) {
            ToolExecutionRequest r = requests.get(i);
            String id = r.id() == null || r.id().isBlank() ? "call_" + i : r.id();
            calls.add(new ToolCall(id, r.name(), r.arguments() == null || r.arguments().isBlank() ? "{}" : r.arguments()));
        }
        TokenUsage usage = response.tokenUsage();
        ChatResult.Usage ours = usage == null ? ChatResult.Usage.NONE : new ChatResult.Usage(
                usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
        return new ChatResult(message.text(), calls, ours, stopReason(response.finishReason(), !calls.isEmpty()), provider, model, attempts);
    }

    private static String stopReason(FinishReason reason, boolean calledTools) {
        if (calledTools) return "tool_calls";
        if (reason == null) return "stop";
        return switch (reason) {
            case STOP -> "stop";
            case TOOL_EXECUTION -> "tool_calls";
            case LENGTH -> "length";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }
}
