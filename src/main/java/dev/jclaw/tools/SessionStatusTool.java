package dev.jclaw.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** {@code session_status}: the calling session's key, agent, model and token counts. */
final class SessionStatusTool implements Tool {
    /** One object for the tool's life: the provider layer keeps its mapping while the schema object lives. */
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(), "additionalProperties", false);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "session_status";
    }

    @Override
    public String description() {
        return "Show this session's status: its key, agent, session id, model and token counts.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        try {
            return ToolOutput.ok(JSON.writeValueAsString(context.services().sessionStatus(context.sessionKey())));
        } catch (JsonProcessingException e) {
            return ToolOutput.error("could not render the session status: " + e.getMessage());
        }
    }
}
