package dev.jclaw.config;

import dev.jclaw.routing.AgentId;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated {@code openclaw.json} / {@code jclaw.json}, immutable. Obtain one from
 * {@link ConfigLoader}; follow changes with {@link ConfigWatcher}. Two configs read from equivalent
 * files are {@code equals}.
 *
 * @param source         the file it was read from, or null for built-in defaults
 * @param envVars        {@code env.vars}: usable in {@code ${VAR}} and added to child processes'
 *                       environment where the gateway's own environment does not set them
 * @param agents         agents in file order, defaults applied; never empty
 * @param defaultAgentId the agent for requests that name none, or null when the file has several
 *                       agents and none is the default (OpenClaw 2026.9 {@code ownership: "explicit"})
 * @param maxConcurrent  runs at once in the {@code main} lane ({@code agents.defaults.maxConcurrent}, default 4)
 * @param subagentMaxConcurrent runs at once in the {@code subagent} lane
 *                       ({@code agents.defaults.subagents.maxConcurrent}, default 8)
 * @param providers      model providers by id, in file order
 * @param mcp            global MCP servers and runtime caps
 * @param tools          global tool policy and session-tool reach
 * @param session        session keys and resets
 * @param gateway        port, bind and auth
 * @param channels       the chat apps agents are reached from
 * @param bindings       which agent answers which conversations, in file order
 */
public record JClawConfig(Path source, Map<String, Secret> envVars, List<AgentConfig> agents, String defaultAgentId,
                          int maxConcurrent, int subagentMaxConcurrent, Map<String, ProviderConfig> providers, McpConfig mcp, ToolsConfig tools,
                          SessionConfig session, GatewayConfig gateway, ChannelsConfig channels, List<BindingConfig> bindings) {
    public static final int DEFAULT_MAX_CONCURRENT = 4;

    public JClawConfig {
        envVars = Map.copyOf(envVars);
        agents = List.copyOf(agents);
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        channels = channels == null ? ChannelsConfig.NONE : channels;
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
    }

    /** The agent with this id (normalised first), if configured. */
    public Optional<AgentConfig> agent(String id) {
        String normalised = AgentId.normalize(id);
        return agents.stream().filter(a -> a.id().equals(normalised)).findFirst();
    }

    /** The default agent, if the config has one. */
    public Optional<AgentConfig> defaultAgent() {
        return defaultAgentId == null ? Optional.empty() : agent(defaultAgentId);
    }

    /** This config as JSON with every {@link Secret} replaced by {@code <redacted>} (for {@code jclaw config show}). */
    public String toRedactedJson() {
        return ConfigJson.redacted(this);
    }
}
