package dev.jclaw.mcp;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.McpServerConfig;
import dev.jclaw.policy.ToolPolicies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From the config to what the runtime manager launches, in one place: which servers an agent may
 * use (its global and its own servers, enabled, reached by its tool policy) and their resolved
 * specs (secrets revealed, {@code env.vars} under the server's env, command and args joined).
 */
public final class McpServers {
    private McpServers() {}

    /**
     * The servers {@code agentId} may use, in config order: global ones, then its own. An agent's
     * server named like a global one takes the global one's place for that agent.
     */
    public static List<McpServerSpec> forAgent(JClawConfig config, String agentId) {
        AgentConfig agent = config.agent(agentId)
                .orElseThrow(() -> new IllegalArgumentException("no agent '" + agentId + "' in the config"));
        return forAgent(config, agent, access(config, agent));
    }

    /** As {@link #forAgent(JClawConfig, String)}, reached through {@code access} (a run's policy, on the run's model). */
    public static List<McpServerSpec> forAgent(JClawConfig config, AgentConfig agent, McpAccess access) {
        List<McpServerSpec> specs = new ArrayList<>();
        for (McpServerConfig server : config.mcp().servers().values()) {
            if (agent.mcpServers().containsKey(server.name())) continue;
            if (server.enabled() && access.reaches(server.name())) specs.add(spec(config, server, null, agent.workspace()));
        }
        for (McpServerConfig server : agent.mcpServers().values()) {
            if (server.enabled() && access.reaches(server.name())) specs.add(spec(config, server, agent.id(), agent.workspace()));
        }
        return specs;
    }

    /** Every enabled server of the config, for every agent that reaches it: what a reload keeps. */
    public static List<McpServerSpec> all(JClawConfig config) {
        List<McpServerSpec> specs = new ArrayList<>();
        for (AgentConfig agent : config.agents()) specs.addAll(forAgent(config, agent.id()));
        return specs;
    }

    /** The agent's MCP reach on its own primary model: its tool policy ({@link ToolPolicies}), seen from this layer. */
    public static McpAccess access(JClawConfig config, AgentConfig agent) {
        return new McpAccess(ToolPolicies.resolve(config, agent));
    }

    /**
     * One server's launch spec. A server that is not shared by the whole gateway runs in its agent's
     * workspace unless it sets {@code cwd}.
     */
    public static McpServerSpec spec(JClawConfig config, McpServerConfig server, String owner, Path workspace) {
        Map<String, String> env = new LinkedHashMap<>();
        config.envVars().forEach((name, value) -> env.put(name, value.reveal()));
        server.env().forEach((name, value) -> env.put(name, value.reveal()));
        Map<String, String> headers = new LinkedHashMap<>();
        server.headers().forEach((name, value) -> headers.put(name, value.reveal()));
        List<String> command = new ArrayList<>();
        if (server.command() != null) {
            command.add(server.command());
            command.addAll(server.args());
        }
        Path cwd = server.cwd();
        McpServerConfig.Scope scope = server.scope() != null ? server.scope()
                : owner == null ? McpServerConfig.Scope.GATEWAY : McpServerConfig.Scope.AGENT;
        if (cwd == null && scope != McpServerConfig.Scope.GATEWAY && workspace != null && Files.isDirectory(workspace)) cwd = workspace;
        return new McpServerSpec(server.name(), server.transport(), command, env, cwd, server.url(), headers,
                server.connectionTimeout(), server.requestTimeout(), server.toolFilter(), scope, owner);
    }

    /** The runtime manager's limits from the {@code mcp} section, over {@code base} for what config does not set. */
    public static McpRuntimeManager.Limits limits(JClawConfig config, McpRuntimeManager.Limits base) {
        return base.withCaps(config.mcp().maxRuntimes(), config.mcp().maxProcesses())
                .withSessionIdleTtl(config.mcp().sessionIdleTtl());
    }
}
