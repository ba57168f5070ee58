package dev.jclaw.provider;

/**
 * A tool call the model asked for.
 *
 * @param id        the provider's call id, echoed in the tool result
 * @param name      the tool's exposed name
 * @param arguments the arguments as the model wrote them: a JSON object's text (possibly invalid JSON)
 */
public record ToolCall(String id, String name, String arguments) {}
