package dev.jclaw.tools;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.Globs;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ToolPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JClaw's built-in tools and which of them an agent's tool policy allows. A policy is a profile
 * (the base set), an {@code allow} list (which, when set, replaces the profile), {@code alsoAllow}
 * (added), and {@code deny} (removed, always wins). Entries are tool names, globs, or groups
 * ({@code group:sessions}). An agent's own profile and allow list replace the global ones when set;
 * deny and alsoAllow lists add up.
 */
public final class BuiltinTools {
    /** Groups as in OpenClaw's policy vocabulary, for the tools JClaw has. */
    static final Map<String, Set<String>> GROUPS = Map.of(
            "group:sessions", Set.of("sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "session_status"));
    private static final Map<ToolPolicy.Profile, Set<String>> PROFILES = Map.of(
            ToolPolicy.Profile.MINIMAL, Set.of("session_status"),
            ToolPolicy.Profile.MESSAGING, Set.of("group:sessions"),
            ToolPolicy.Profile.CODING, Set.of("group:sessions"),
            ToolPolicy.Profile.FULL, Set.of("*"));

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public BuiltinTools() {
        add(new SessionStatusTool());
        add(new SessionsListTool());
        add(new SessionsHistoryTool());
        add(new SessionsSendTool());
        add(new SessionsSpawnTool());
    }

    private void add(Tool tool) {
        if (tools.putIfAbsent(tool.name(), tool) != null) throw new IllegalArgumentException("two built-in tools named " + tool.name());
    }

    /** Every built-in name: MCP tools may not take them. */
    public Set<String> names() {
        return Set.copyOf(tools.keySet());
    }

    /** The built-ins {@code agent} may use under the config's policies. */
    public List<Tool> allowedFor(JClawConfig config, AgentConfig agent) {
        ToolPolicy global = config.tools().policy();
        ToolPolicy own = agent.tools();
        ToolPolicy.Profile profile = own.profile() != null ? own.profile() : global.profile();
        List<String> allow = own.allow() != null ? own.allow() : global.allow();
        List<String> base = allow != null ? allow : profile != null ? List.copyOf(PROFILES.get(profile)) : List.of("*");
        List<String> granted = new ArrayList<>(base);
        if (global.alsoAllow() != null) granted.addAll(global.alsoAllow());
        if (own.alsoAllow() != null) granted.addAll(own.alsoAllow());
        List<String> denied = new ArrayList<>();
        if (global.deny() != null) denied.addAll(global.deny());
        if (own.deny() != null) denied.addAll(own.deny());
        return tools.values().stream().filter(t -> matchesAny(granted, t.name()) && !matchesAny(denied, t.name())).toList();
    }

    private static boolean matchesAny(List<String> entries, String tool) {
        for (String entry : entries) {
            Set<String> group = GROUPS.get(entry);
            if (group != null ? group.contains(tool) : Globs.matches(entry, tool)) return true;
        }
        return false;
    }
}
