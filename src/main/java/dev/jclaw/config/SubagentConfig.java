package dev.jclaw.config;

import java.util.List;

/**
 * Limits on the sub-agents an agent spawns. Defaults come from {@code agents.defaults.subagents};
 * an agent's own {@code subagents} overrides them field by field (per-agent {@code maxConcurrent},
 * {@code maxSpawnDepth} and {@code maxChildrenPerAgent} are JClaw additions).
 *
 * @param allowAgents   agent ids {@code sessions_spawn} may target besides the agent itself;
 *                      {@code ["*"]} allows any configured agent, empty allows only itself
 * @param maxConcurrent this agent's sub-agent runs at once (default: the {@code subagent} lane's size, 8)
 * @param maxSpawnDepth nesting depth, 1-5 (default 1: children are leaves)
 * @param maxChildrenPerAgent active children one session may have, 1-20 (default 5)
 * @param model         model of spawned sub-agents, or null to inherit the caller's
 */
public record SubagentConfig(List<String> allowAgents, int maxConcurrent, int maxSpawnDepth, int maxChildrenPerAgent,
                             ModelSelection model) {
    public static final int DEFAULT_MAX_CONCURRENT = 8;
    public static final int DEFAULT_MAX_SPAWN_DEPTH = 1;
    public static final int DEFAULT_MAX_CHILDREN = 5;
    public static final SubagentConfig DEFAULT =
            new SubagentConfig(List.of(), DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_SPAWN_DEPTH, DEFAULT_MAX_CHILDREN, null);

    public SubagentConfig {
        allowAgents = List.copyOf(allowAgents);
    }

    /** Whether {@code sessions_spawn} from agent {@code self} may target {@code target}. */
    public boolean allows(String self, String target) {
        return self.equals(target) || allowAgents.contains("*") || allowAgents.contains(target);
    }
}
