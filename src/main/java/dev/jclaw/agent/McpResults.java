package dev.jclaw.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;

/** An MCP tool result as the text a model reads. */
final class McpResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpResults() {}

    /**
     * Waits at most {@code wait} for a call's result, as tool output. Past it the call is cancelled
     * (its server is told) and the output is the error {@code late}; interrupted, the call is
     * cancelled and the interrupt thrown. A failed call is an error output naming why.
     */
    static dev.jclaw.tools.ToolOutput await(dev.jclaw.mcp.McpCall call, java.time.Duration wait, String late) throws InterruptedException {
        try {
            McpSchema.CallToolResult result = call.result().get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            return new dev.jclaw.tools.ToolOutput(text(result), Boolean.TRUE.equals(result.isError()));
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            return dev.jclaw.tools.ToolOutput.error(cause instanceof dev.jclaw.mcp.McpException ? cause.getMessage() : "tool call failed: " + cause);
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(late);
            return dev.jclaw.tools.ToolOutput.error(late);
        } catch (InterruptedException e) {
            call.cancel("the caller is ending");
            throw e;
        }
    }

    static String text(McpSchema.CallToolResult result) {
        StringBuilder text = new StringBuilder();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                if (!text.isEmpty()) text.append('\n');
                switch (content) {
                    case McpSchema.TextContent t -> text.append(t.text());
                    case McpSchema.ImageContent image -> text.append("[image ").append(image.mimeType()).append(']');
                    case McpSchema.AudioContent audio -> text.append("[audio ").append(audio.mimeType()).append(']');
                    case McpSchema.EmbeddedResource embedded -> text.append(embedded.resource() instanceof McpSchema.TextResourceContents r
                            ? r.text() : "[resource " + embedded.resource().uri() + "]");
                    case McpSchema.ResourceLink link -> text.append("[resource link ").append(link.uri()).append(']');
                    default -> text.append('[').append(content.type()).append(']');
                }
            }
        }
        if (text.isEmpty() && result.structuredContent() != null) {
            try {
                text.append(JSON.writeValueAsString(result.structuredContent()));
            } catch (JsonProcessingException e) {
                text.append(result.structuredContent());
            }
        }
        return text.toString();
    }
}
