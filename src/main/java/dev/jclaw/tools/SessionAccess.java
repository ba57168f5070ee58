package dev.jclaw.tools;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ToolsConfig;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionEntry;

import java.util.Optional;

/**
 * Which sessions the session tools can reach from a session ({@code tools.sessions.visibility}):
 * {@code self} its own key only; {@code tree} its own and the sessions it spawned, at any depth;
 * {@code agent} every session of its agent; {@code all} those and other agents' sessions, the latter
 * only when {@code tools.agentToAgent} is enabled and both agent ids pass its {@code allow} list.
 */
final class SessionAccess {
    /** How far up the spawnedBy chain {@code tree} looks. */
    private static final int MAX_TREE_DEPTH = 16;

    private SessionAccess() {}

    /** Null when {@code from} may reach {@code target}, else the refusal, naming the settings that would allow it. */
    static String refusal(AgentServices services, SessionKey from, String fromAgent, SessionKey target) {
        if (target.equals(from)) return null;
        JClawConfig config = services.config();
        ToolsConfig tools = config.tools();
        String targetAgent = target.agentId();
        boolean sameAgent = fromAgent.equals(targetAgent);
        if (!sameAgent) {
            if (tools.sessionsVisibility() != ToolsConfig.Visibility.ALL || !tools.agentToAgent().permits(fromAgent, targetAgent)) {
                return "session " + target + " belongs to agent '" + targetAgent + "'; reaching another agent's sessions needs "
                        + "tools.sessions.visibility \"all\" and tools.agentToAgent.enabled true, with both '" + fromAgent
                        + "' and '" + targetAgent + "' in tools.agentToAgent.allow (empty allows all). Now: visibility \""
                        + tools.sessionsVisibility() + "\", agentToAgent " + (tools.agentToAgent().enabled() ? "enabled" : "disabled") + ".";
            }
            return null;
        }
        return switch (tools.sessionsVisibility()) {
            case SELF -> "tools.sessions.visibility is \"self\": only the calling session (" + from + ") is reachable";
            case TREE -> spawnedFrom(services, target, from) ? null : "tools.sessions.visibility is \"tree\": " + target
                    + " was not spawned by " + from + " (set it to \"agent\" to reach every session of agent '" + fromAgent + "')";
            case AGENT, ALL -> null;
        };
    }

    private static boolean spawnedFrom(AgentServices services, SessionKey target, SessionKey ancestor) {
        SessionKey current = target;
        for (int depth = 0; depth < MAX_TREE_DEPTH; depth++) {
            Optional<SessionEntry> entry = services.sessions().get(current);
            if (entry.isEmpty() || entry.get().spawnedBy() == null) return false;
            current = SessionKey.parse(entry.get().spawnedBy());
            if (current.equals(ancestor)) return true;
        }
        return false;
    }
}
