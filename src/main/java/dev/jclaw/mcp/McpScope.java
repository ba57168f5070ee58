package dev.jclaw.mcp;

/**
 * Who shares one instance of an MCP server. A JClaw addition to OpenClaw's config
 * ({@code mcp.servers.<name>.scope}); OpenClaw itself behaves as {@link #SESSION} for every server.
 */
public enum McpScope {
    /** One instance per session: OpenClaw's behaviour. Ends with the session. */
    SESSION,
    /** One instance per agent, shared by its sessions. The default for a server declared under an agent. */
    AGENT,
    /** One instance for every agent that may use it. The default for a server in the global {@code mcp.servers}. */
    GATEWAY;

    public static McpScope parse(String value) {
        return switch (value.strip().toLowerCase()) {
            case "session" -> SESSION;
            case "agent" -> AGENT;
            case "gateway" -> GATEWAY;
            default -> throw new IllegalArgumentException("unknown MCP scope \"" + value + "\" (expected session, agent or gateway)");
        };
    }
}
