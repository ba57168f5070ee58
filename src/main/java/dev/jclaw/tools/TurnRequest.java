package dev.jclaw.tools;

import dev.jclaw.routing.SessionKey;

import java.time.Duration;
import java.util.Map;

/**
 * A turn a tool asks the agent layer to run on some session (an agent-to-agent step, a subagent).
 *
 * @param kind       which global lane the agent layer queues it in
 * @param ephemeral  the session ends with the turn
 * @param spawnedBy  the requesting session when it spawns this one, else null
 * @param provenance where the message came from, recorded with the run
 */
public record TurnRequest(String agentId, SessionKey sessionKey, String message, Kind kind, String extraSystemPrompt,
                          Duration timeout, boolean ephemeral, SessionKey spawnedBy, String label, Map<String, Object> provenance) {
    public enum Kind {
        /** An agent-to-agent step: serialised per target session ({@code nested:<key>}). */
        NESTED,
        /** A spawned sub-agent ({@code subagent} lane). */
        SUBAGENT
    }
}
