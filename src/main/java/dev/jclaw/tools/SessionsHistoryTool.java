package dev.jclaw.tools;

import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.History;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sessions_history}: the last messages of a session this session may reach. */
final class SessionsHistoryTool implements Tool {
    /** One object for the tool's life: the provider layer keeps its mapping while the schema object lives. */
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "sessionKey", Map.of("type", "string"),
            "limit", Map.of("type", "integer", "minimum", 1, "maximum", 200),
            "includeTools", Map.of("type", "boolean")), "required", List.of("sessionKey"));

    @Override
    public String name() {
        return "sessions_history";
    }

    @Override
    public String description() {
        return "Read the last messages of a session you can reach.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        SessionKey target = SessionTools.target(context, args);
        String refusal = SessionAccess.refusal(context.services(), context.sessionKey(), context.agentId(), target);
        if (refusal != null) return SessionTools.refused(refusal);
        int limit = args.integer("limit", 20, 1, 200);
        boolean includeTools = args.bool("includeTools", false);
        History history = context.services().sessions().history(target, includeTools ? limit : limit * 3);
        List<Map<String, Object>> messages = SessionTools.messages(history.entries(), includeTools);
        if (messages.size() > limit) messages = messages.subList(messages.size() - limit, messages.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionKey", target.toString());
        out.put("messages", messages);
        if (!history.warnings().isEmpty()) out.put("warnings", history.warnings());
        return SessionTools.json(out, false);
    }
}
