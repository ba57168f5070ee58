package dev.jclaw.session;

import dev.jclaw.routing.AgentId;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;

import java.util.Objects;

/**
 * What a session is created with when its key is first used.
 *
 * @param agentId   owning agent (for {@link SessionKey#GLOBAL}, the agent that serves it)
 * @param kind      what kind of conversation it is
 * @param channel   channel it came from, or null
 * @param spawnedBy key of the spawning session, or null
 * @param label     initial label, or null
 * @param cwd       working directory written in the transcript header (the agent workspace), or null
 */
public record NewSession(String agentId, SessionKind kind, String channel, String spawnedBy, String label, String cwd) {
    public NewSession {
        agentId = AgentId.normalize(agentId);
        Objects.requireNonNull(kind, "kind");
    }

    /** Agent, kind and channel read from the key itself; {@code mainKey} is {@code session.mainKey}. */
    public static NewSession of(SessionKey key, String mainKey, String cwd) {
        String agent = key.agentId() == null ? AgentId.DEFAULT : key.agentId();
        return new NewSession(agent, key.kind(mainKey), key.channel(), null, null, cwd);
    }

    public NewSession withSpawnedBy(SessionKey parent) {
        return new NewSession(agentId, kind, channel, parent.toString(), label, cwd);
    }

    public NewSession withLabel(String newLabel) {
        return new NewSession(agentId, kind, channel, spawnedBy, newLabel, cwd);
    }
}
