package dev.jclaw.provider;

import java.util.List;

/**
 * The model's answer to one turn.
 *
 * @param text       the assistant text (may be empty when it only calls tools)
 * @param toolCalls  tools it asked to call, in order
 * @param usage      tokens, when the provider reported them
 * @param stopReason the provider's reason, normalised: {@code stop}, {@code tool_calls}, {@code length}, or the raw value
 * @param provider   the provider that answered (a fallback's, if the primary failed)
 * @param model      the model that answered
 * @param attempts   every attempt made for this turn, the successful one last
 */
public record ChatResult(String text, List<ToolCall> toolCalls, Usage usage, String stopReason, String provider, String model,
                         List<Attempt> attempts) {
    public ChatResult {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.NONE : usage;
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** Token counts; zero when unknown. */
    public record Usage(long inputTokens, long outputTokens) {
        public static final Usage NONE = new Usage(0, 0);
    }

    /** One try of one model: what happened and how long it took. */
    public record Attempt(String provider, String model, String outcome, long millis) {}
}
