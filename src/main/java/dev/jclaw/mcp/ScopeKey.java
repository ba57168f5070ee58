package dev.jclaw.mcp;

import dev.jclaw.config.McpServerConfig.Scope;

/**
 * The key of a runtime: {@code gateway}, {@code agent:<id>} or {@code session:<session key>}.
 */
public record ScopeKey(Scope scope, String id) {
    public static final ScopeKey GATEWAY = new ScopeKey(Scope.GATEWAY, "gateway");

    public static ScopeKey agent(String agentId) {
        return new ScopeKey(Scope.AGENT, agentId);
    }

    public static ScopeKey session(String sessionKey) {
        return new ScopeKey(Scope.SESSION, sessionKey);
    }

    /** The key a server of {@code scope} gets for a run of {@code agentId} in {@code sessionKey}. */
    public static ScopeKey of(Scope scope, String agentId, String sessionKey) {
        return switch (scope) {
            case GATEWAY -> GATEWAY;
            case AGENT -> agent(agentId);
            case SESSION -> session(sessionKey);
        };
    }

    @Override
    public String toString() {
        return scope == Scope.GATEWAY ? "gateway" : scope.name().toLowerCase() + ":" + id;
    }
}
