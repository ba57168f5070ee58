package dev.jclaw.mcp;

import java.util.List;

/** What {@code mcp.status} and {@code jclaw mcp status} show: every runtime and its servers. */
public final class McpStatus {
    private McpStatus() {}

    /** One runtime. */
    public record Runtime(String scopeKey, String state, long ageMillis, long idleMillis, int leases, int callsInFlight,
                          List<Server> servers) {}

    /** One server in a runtime, with why it last failed. */
    public record Server(String name, String owner, String transport, String state, Long pid, int tools, int restarts,
                         int failuresInARow, String lastError, String stderrTail) {}
}
