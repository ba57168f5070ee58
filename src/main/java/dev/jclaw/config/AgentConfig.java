package dev.jclaw.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One agent, with {@code agents.defaults} already applied: every component is the value in effect.
 *
 * @param id          normalised id ({@code ^[a-z0-9][a-z0-9_-]{0,63}$})
 * @param isDefault   whether requests that name no agent go to this one
 * @param name        display name, or null
 * @param workspace   absolute workspace directory
 * @param model       model and fallbacks, or null when neither the agent nor the defaults set one
 * @param identity    name and emoji it presents
 * @param sandbox     sandbox settings
 * @param tools       this agent's own tool policy, layered on {@link ToolsConfig#policy()}; {@link ToolPolicy#UNSET} when none
 * @param subagents   spawn limits
 * @param mcpServers  JClaw addition: servers only this agent uses (scope {@code agent} unless set)
 */
public record AgentConfig(String id, boolean isDefault, String name, Path workspace, ModelSelection model,
                          Identity identity, SandboxConfig sandbox, ToolPolicy tools, SubagentConfig subagents,
                          Map<String, McpServerConfig> mcpServers) {
    public AgentConfig {
        mcpServers = Collections.unmodifiableMap(new LinkedHashMap<>(mcpServers));
    }
}
