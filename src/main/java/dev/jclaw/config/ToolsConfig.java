package dev.jclaw.config;

import java.util.List;

/**
 * The global {@code tools} section: the base {@link ToolPolicy}, the session tools' reach, the file
 * tools' confinement ({@link FileToolsConfig}) and the web tools ({@link WebToolsConfig}).
 * JClaw defaults to OpenClaw 2026.4's closed settings (agent-to-agent off, visibility {@code tree});
 * OpenClaw 2026.9 opened both.
 */
public record ToolsConfig(ToolPolicy policy, AgentToAgent agentToAgent, Visibility sessionsVisibility, FileToolsConfig files,
                          WebToolsConfig web) {
    public static final ToolsConfig DEFAULT = new ToolsConfig(ToolPolicy.UNSET, AgentToAgent.DISABLED, Visibility.TREE,
            FileToolsConfig.DEFAULT, WebToolsConfig.DEFAULT);

    /**
     * Whether one agent's session tools may reach another agent's sessions.
     *
     * @param allow agent-id globs ({@code *}, {@code ?}); empty allows every agent
     */
    public record AgentToAgent(boolean enabled, List<String> allow) {
        public static final AgentToAgent DISABLED = new AgentToAgent(false, List.of());

        public AgentToAgent {
            allow = List.copyOf(allow);
        }

        /** Whether both agents pass {@code allow} (and the feature is on). */
        public boolean permits(String fromAgent, String toAgent) {
            return enabled && (allow.isEmpty() || matchesAny(fromAgent) && matchesAny(toAgent));
        }

        private boolean matchesAny(String agentId) {
            for (String glob : allow) {
                if (Globs.matches(glob, agentId)) return true;
            }
            return false;
        }
    }

    /** Which sessions the session tools can see from a session. */
    public enum Visibility {
        /** Only the calling session. */
        SELF("self"),
        /** The calling session and the sessions it spawned. */
        TREE("tree"),
        /** Every session of the same agent. */
        AGENT("agent"),
        /** Every session; other agents' only with {@link AgentToAgent#permits}. */
        ALL("all");

        private final String wire;

        Visibility(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
