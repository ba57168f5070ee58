package dev.jclaw.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code mcp} section: gateway-wide servers and the caps on what the MCP runtime may hold.
 *
 * @param servers        global servers by name (per-agent ones live in {@link AgentConfig#mcpServers()})
 * @param sessionIdleTtl retire a session's runtime after this long unused, or null for never
 * @param maxRuntimes    JClaw addition: live MCP runtimes at most (default 256, OpenClaw's cap)
 * @param maxProcesses   JClaw addition: live MCP server processes at most (default 512)
 */
public record McpConfig(Map<String, McpServerConfig> servers, Duration sessionIdleTtl, int maxRuntimes, int maxProcesses) {
    public static final int DEFAULT_MAX_RUNTIMES = 256;
    public static final int DEFAULT_MAX_PROCESSES = 512;
    public static final McpConfig DEFAULT = new McpConfig(Map.of(), null, DEFAULT_MAX_RUNTIMES, DEFAULT_MAX_PROCESSES);

    public McpConfig {
        servers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servers));
    }
}
