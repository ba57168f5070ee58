package dev.jclaw.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;

/** An MCP tool result as the text a model reads. */
final class McpResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpResults() {}

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
