package dev.jclaw.tools;

import dev.jclaw.routing.SessionKind;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code sessions_list}: the sessions this session may reach, most recent first, optionally with their last messages. */
final class SessionsListTool implements Tool {
    /** One object for the tool's life: the provider layer keeps its mapping while the schema object lives. */
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "kinds", Map.of("type", "array", "items", Map.of("type", "string"), "description", "main, direct, group, channel, subagent, cron, hook"),
            "limit", Map.of("type", "integer", "minimum", 1, "maximum", 200),
            "activeMinutes", Map.of("type", "integer", "minimum", 1, "description", "only sessions active in the last N minutes"),
            "messageLimit", Map.of("type", "integer", "minimum", 0, "maximum", 20, "description", "last messages to include per session")));

    @Override
    public String name() {
        return "sessions_list";
    }

    @Override
    public String description() {
        return "List sessions you can reach (most recently active first), optionally with their last messages.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        Set<SessionKind> kinds = new HashSet<>();
        for (String kind : args.strings("kinds")) kinds.add(SessionTools.kind(kind));
        int limit = args.integer("limit", 50, 1, 200);
        int activeMinutes = args.integer("activeMinutes", 0, 0, 525_600);
        int messageLimit = args.integer("messageLimit", 0, 0, 20);
        SessionQuery query = SessionQuery.all().kinds(kinds);
        if (activeMinutes > 0) query = query.updatedSince(Instant.now().minusSeconds(activeMinutes * 60L));
        String mainKey = context.services().config().session().mainKey();
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (SessionEntry entry : context.services().sessions().list(query)) {
            if (sessions.size() == limit) break;
            if (SessionAccess.refusal(context.services(), context.sessionKey(), context.agentId(), entry.key()) != null) continue;
            Map<String, Object> row = SessionTools.describe(entry, mainKey);
            if (messageLimit > 0) {
                List<Map<String, Object>> messages = SessionTools.messages(
                        context.services().sessions().history(entry.key(), messageLimit * 3).entries(), false);
                row.put("messages", messages.subList(Math.max(0, messages.size() - messageLimit), messages.size()));
            }
            sessions.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", sessions.size());
        out.put("sessions", sessions);
        return SessionTools.json(out, false);
    }
}
