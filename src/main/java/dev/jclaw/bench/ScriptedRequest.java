package dev.jclaw.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat request as {@link ScriptedProviderServer} understood it, the same shape whichever API it came
 * through: the system prompt apart, then the conversation as user, assistant and tool messages.
 *
 * @param api          the API the client spoke
 * @param model        the model the client asked for
 * @param systemPrompt the system prompt (several system parts joined by a blank line), or "" when none
 * @param messages     the conversation in order; a tool result is a message of its own with role {@code tool}
 * @param tools        the offered tools' input schemas by tool name, in the order offered, as received
 * @param stream       whether the client asked for a streamed answer
 * @param headers      request headers, names lowercased (first value of each)
 * @param body         the whole request body, for what the fields above leave out ({@code max_tokens}, …)
 */
public record ScriptedRequest(ScriptedProviderServer.Api api, String model, String systemPrompt, List<Message> messages,
                              Map<String, JsonNode> tools, boolean stream, Map<String, String> headers, JsonNode body) {
    public ScriptedRequest {
        messages = List.copyOf(messages);
        tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
        headers = Map.copyOf(headers);
    }

    /**
     * One message of the conversation.
     *
     * @param role       {@code user}, {@code assistant} or {@code tool}
     * @param text       its text ("" when it has none)
     * @param toolCalls  the calls an assistant message made (empty otherwise)
     * @param toolResult the result a {@code tool} message carries, else null
     */
    public record Message(String role, String text, List<ToolCall> toolCalls, ToolResult toolResult) {
        public Message {
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /** A tool call the client sent back as part of the conversation; {@code arguments} is JSON text. */
    public record ToolCall(String id, String name, String arguments) {}

    /** A tool's result the client sent; {@code callId} is the call it answers (null when the API has no ids). */
    public record ToolResult(String callId, String toolName, String content, boolean isError) {}

    /** The offered tools' names, in order. */
    public List<String> toolNames() {
        return List.copyOf(tools.keySet());
    }

    /** The input schema the client sent for this tool, exactly as received; null when no such tool was offered. */
    public JsonNode toolSchema(String name) {
        return tools.get(name);
    }

    /** The text of the last user message, or "" when there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) return messages.get(i).text();
        }
        return "";
    }

    /** Every tool result in the conversation, in order. */
    public List<ToolResult> toolResults() {
        List<ToolResult> out = new ArrayList<>();
        for (Message m : messages) if (m.toolResult() != null) out.add(m.toolResult());
        return out;
    }

    /** Every tool call the assistant made in the conversation so far, in order. */
    public List<ToolCall> toolCalls() {
        List<ToolCall> out = new ArrayList<>();
        for (Message m : messages) out.addAll(m.toolCalls());
        return out;
    }

    /** A request header's value (name in any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
