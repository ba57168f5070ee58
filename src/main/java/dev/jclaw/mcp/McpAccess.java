package dev.jclaw.mcp;

import dev.jclaw.config.Globs;

import java.util.List;

/**
 * Which MCP servers and tools an agent's tool policy reaches ({@code tools.allow} / {@code tools.deny}).
 * Entries are tool names or globs; {@code bundle-mcp} stands for every MCP tool, {@code *} for every
 * tool, and {@code <server>__<tool>} (or {@code <server>__*}) for one server's tools. Deny wins. An
 * allow list that is not set reaches every server; a set one (even empty) reaches only what it
 * names. A server none of whose tools could be allowed is never started.
 *
 * @param allow the allow list in effect, or null when none is set
 * @param deny  the deny list in effect
 */
public record McpAccess(List<String> allow, List<String> deny) {
    public static final McpAccess ALL = new McpAccess(null, List.of());
    private static final String BUNDLE = "bundle-mcp";

    public McpAccess {
        allow = allow == null ? null : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }

    /** Whether any tool of {@code server} may be allowed: if not, the server is not started for this agent. */
    public boolean reaches(String server) {
        String prefix = ToolNames.sanitize(server) + "__";
        if (deny.contains(BUNDLE) || deny.contains("*") || deny.stream().anyMatch(glob -> glob.equalsIgnoreCase(prefix + "*"))) return false;
        if (allow == null || allow.contains("*") || allow.contains(BUNDLE)) return true;
        return allow.stream().anyMatch(entry -> couldMatchServer(entry, prefix));
    }

    /** Whether the tool exposed as {@code exposedName} may be offered. */
    public boolean allows(String exposedName) {
        if (deny.contains(BUNDLE) || deny.stream().anyMatch(glob -> Globs.matches(glob, exposedName))) return false;
        return allow == null || allow.contains(BUNDLE) || allow.stream().anyMatch(glob -> Globs.matches(glob, exposedName));
    }

    /** Whether a glob could match some {@code <prefix><tool>}: conservative, the per-tool check decides. */
    private static boolean couldMatchServer(String glob, String prefix) {
        int wildcard = -1;
        for (int i = 0; i < glob.length() && wildcard < 0; i++) if (glob.charAt(i) == '*' || glob.charAt(i) == '?') wildcard = i;
        String lowerPrefix = prefix.toLowerCase(java.util.Locale.ROOT);
        if (wildcard < 0) return glob.toLowerCase(java.util.Locale.ROOT).startsWith(lowerPrefix);
        String literal = glob.substring(0, wildcard).toLowerCase(java.util.Locale.ROOT);
        return lowerPrefix.startsWith(literal) || literal.startsWith(lowerPrefix);
    }
}
