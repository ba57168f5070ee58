package dev.jclaw.tools;

/** What a tool call returns to the model; {@code isError} marks a failure the model should see as one. */
public record ToolOutput(String text, boolean isError) {
    public static ToolOutput ok(String text) {
        return new ToolOutput(text, false);
    }

    public static ToolOutput error(String text) {
        return new ToolOutput(text, true);
    }
}
