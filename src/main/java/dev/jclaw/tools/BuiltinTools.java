package dev.jclaw.tools;

import dev.jclaw.policy.EffectiveToolPolicy;
import dev.jclaw.policy.ToolDecision;
import dev.jclaw.policy.ToolPolicies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JClaw's built-in tools. Which of them a run may use is decided by the one policy function
 * ({@link ToolPolicies}); this class only holds the tools.
 */
public final class BuiltinTools {
    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public BuiltinTools() {
        add(new SessionStatusTool());
        add(new SessionsListTool());
        add(new SessionsHistoryTool());
        add(new SessionsSendTool());
        add(new SessionsSpawnTool());
        add(new LsTool());
        add(new ReadTool());
        add(new WriteTool());
        add(new EditTool());
        add(new ApplyPatchTool());
        add(new WebFetchTool());
        add(new WebSearchTool());
    }

    private void add(Tool tool) {
        if (tools.putIfAbsent(tool.name(), tool) != null) throw new IllegalArgumentException("two built-in tools named " + tool.name());
    }

    /** Every built-in name: MCP tools may not take them. */
    public Set<String> names() {
        return Set.copyOf(tools.keySet());
    }

    /** Every built-in, in registration order. */
    public List<Tool> all() {
        return List.copyOf(tools.values());
    }

    /** The built-ins {@code policy} allows. */
    public List<Tool> allowedBy(EffectiveToolPolicy policy) {
        return tools.values().stream().filter(t -> policy.allows(t.name(), ToolDecision.Source.CORE)).toList();
    }
}
