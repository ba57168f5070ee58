package dev.jclaw.agent;

import dev.jclaw.lane.Lanes;
import dev.jclaw.routing.TurnOrigin;

import java.time.Duration;
import java.util.Map;

/**
 * What to run: a message for an agent in a session, on a lane, within a time limit.
 *
 * @param agentId           the agent, or null for the default agent
 * @param sessionKey        the session as a request names it ({@code agent:a:main}, or scoped like
 *                          {@code main} / {@code foo}), or null for the agent's main session
 * @param message           the user message
 * @param lane              the global lane ({@link Lanes#MAIN}, {@link Lanes#SUBAGENT}, {@code nested:<key>}, …)
 * @param extraSystemPrompt appended to the agent's system prompt, or null
 * @param timeout           the bound on the whole run, queueing included
 * @param ephemeral         the session ends with the run (its session-scoped MCP servers stop)
 * @param spawnedBy         the session that spawned this one, or null
 * @param model             a {@code provider/model} overriding the agent's for this run, or null
 * @param maxTurns          model turns at most before the run stops
 * @param provenance        where the message came from (e.g. {@code {kind: inter_session, sourceSessionKey}}), or empty
 * @param listener          receives this run's events in addition to the service's listeners, or null
 * @param label             a label for the session if it has none (unique per agent), or null
 * @param origin            where the turn comes from (a channel peer, with its sandbox policy key), or null
 *                          for a turn that is what its session key says
 */
public record RunRequest(String agentId, String sessionKey, String message, String lane, String extraSystemPrompt,
                         Duration timeout, boolean ephemeral, String spawnedBy, String model, int maxTurns,
                         Map<String, Object> provenance, RunEventListener listener, String label, TurnOrigin origin) {
    /** Ten minutes, OpenClaw's default for an agent run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    /** A runaway tool loop stops here. */
    public static final int DEFAULT_MAX_TURNS = 20;

    public RunRequest {
        if (message == null) throw new IllegalArgumentException("a run needs a message");
        lane = lane == null || lane.isBlank() ? Lanes.MAIN : lane;
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
        maxTurns = maxTurns <= 0 ? DEFAULT_MAX_TURNS : maxTurns;
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }

    public static RunRequest of(String agentId, String message) {
        return new RunRequest(agentId, null, message, null, null, null, false, null, null, 0, null, null, null, null);
    }

    public RunRequest withSessionKey(String sessionKey) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withLane(String lane) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withExtraSystemPrompt(String extraSystemPrompt) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withTimeout(Duration timeout) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withEphemeral(boolean ephemeral) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withSpawnedBy(String spawnedBy) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withModel(String model) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withLabel(String label) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withProvenance(Map<String, Object> provenance) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withOrigin(TurnOrigin origin) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }

    public RunRequest withListener(RunEventListener listener) {
        return new RunRequest(agentId, sessionKey, message, lane, extraSystemPrompt, timeout, ephemeral, spawnedBy, model, maxTurns, provenance, listener, label, origin);
    }
}
