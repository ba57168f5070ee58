package dev.jclaw.tools;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionReader;

import java.util.Map;

/**
 * What built-in tools may ask of the agent layer, which implements it. Defined here so that tools
 * depend on nothing above them.
 */
public interface AgentServices {
    /** The config in effect. */
    JClawConfig config();

    /** The session store, read-only. */
    SessionReader sessions();

    /** A summary of a session: key, agent, session id, model, token counts, times. */
    Map<String, Object> sessionStatus(SessionKey key);

    /**
     * Starts a turn on a session (its own run, with its own scope, lanes and timeout).
     *
     * @throws IllegalArgumentException for an unknown agent or a bad session key
     * @throws IllegalStateException when the gateway is shutting down
     */
    TurnHandle startTurn(TurnRequest request);

    /** Runs of sessions that {@code parent} spawned, still going. */
    int activeChildren(SessionKey parent);

    /**
     * Starts a sub-agent's turn (its {@link TurnRequest#spawnedBy()} is the parent) unless the parent
     * already has {@code max} running; then starts nothing and returns null. Counting and starting are
     * one step, so the spawns of one model turn, run in parallel, cannot overshoot the limit together.
     */
    TurnHandle startChildTurn(TurnRequest request, int max);

    /** Deletes a session (its runs aborted first, its transcript kept as an archive). */
    void deleteSession(SessionKey key) throws InterruptedException;
}
