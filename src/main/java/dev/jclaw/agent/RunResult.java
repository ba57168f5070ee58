package dev.jclaw.agent;

import java.util.List;

/**
 * How a run ended.
 *
 * @param status     ok, error, timeout or aborted
 * @param text       the final assistant text (for ok), else what the model said before the end
 * @param error      why it did not finish, fit for a user, or null
 * @param stopReason the last model turn's stop reason, {@code max_turns}, or null
 * @param turns      model turns taken
 * @param toolCalls  tool calls made
 */
public record RunResult(String runId, String agentId, String sessionKey, Status status, String text, String error,
                        String stopReason, int turns, int toolCalls, long inputTokens, long outputTokens,
                        String provider, String model, long durationMillis, List<String> warnings) {
    public enum Status {
        OK, ERROR, TIMEOUT, ABORTED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public RunResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
