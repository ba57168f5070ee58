package dev.jclaw.mcp;

import dev.jclaw.policy.EffectiveToolPolicy;
import dev.jclaw.policy.ToolDecision;

/**
 * Which MCP servers and tools an agent's tool policy reaches: a view of the one policy
 * ({@link dev.jclaw.policy.ToolPolicies}) for this layer. A server none of whose tools could be
 * allowed is never started.
 *
 * @param policy the agent's policy, or null for "everything" ({@link #ALL})
 */
public record McpAccess(EffectiveToolPolicy policy) {
    public static final McpAccess ALL = new McpAccess(null);

    /** Whether any tool of {@code server} may be allowed: if not, the server is not started for this agent. */
    public boolean reaches(String server) {
        return policy == null || policy.reachesServer(ToolNames.sanitize(server));
    }

    /** Whether the tool exposed as {@code exposedName} may be offered. */
    public boolean allows(String exposedName) {
        return policy == null || policy.allows(exposedName, ToolDecision.Source.MCP);
    }
}
