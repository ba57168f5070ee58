package dev.jclaw.mcp;

import java.util.List;

/**
 * Which MCP servers and tools an agent's tool policy reaches ({@code tools.allow} / {@code tools.deny}).
 * Entries are tool names or globs; {@code bundle-mcp} stands for every MCP tool, {@code *} for every
 * tool, and {@code <server>__<tool>} (or {@code <server>__*}) for one server's tools. Deny wins. A
 * server none of whose tools could be allowed is never started.
 */
public record McpAccess(List<String> allow, List<String> deny) {
    public static final McpAccess ALL = new McpAccess(List.of(), List.of());
    private static final String BUNDLE = "bundle-mcp";

    public McpAccess {
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }

    /** Whether any tool of {@code server} may be allowed: if not, the server is not started for this agent. */
    public boolean reaches(String server) {
        String prefix = ToolNames.sanitize(server) + "__";
        if (deny.contains(BUNDLE) || deny.contains("*") || deny.contains(prefix + "*")) return false;
        if (allow.isEmpty() || allow.contains("*") || allow.contains(BUNDLE)) return true;
        return allow.stream().anyMatch(entry -> couldMatchServer(entry, prefix));
    }

    /** Whether a glob could match some {@code <prefix><tool>}: conservative, the per-tool check decides. */
    private static boolean couldMatchServer(String glob, String prefix) {
        int wildcard = -1;
        for (int i = 0; i < glob.length() && wildcard < 0; i++) if (glob.charAt(i) == '*' || glob.charAt(i) == '?') wildcard = i;
        if (wildcard < 0) return glob.startsWith(prefix);
        String literal = glob.substring(0, wildcard);
        return prefix.startsWith(literal) || literal.startsWith(prefix);
    }

    /** Whether the tool exposed as {@code exposedName} may be offered. */
    public boolean allows(String exposedName) {
        if (deny.contains(BUNDLE) || deny.stream().anyMatch(glob -> ToolFilter.matches(glob, exposedName))) return false;
        return allow.isEmpty() || allow.contains(BUNDLE) || allow.stream().anyMatch(glob -> ToolFilter.matches(glob, exposedName));
    }
}
