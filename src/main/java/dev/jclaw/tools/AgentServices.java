package dev.jclaw.tools;

import dev.jclaw.routing.SessionKey;

import java.util.Map;

/**
 * What built-in tools may ask of the agent layer, which implements it. Defined here so that tools
 * depend on nothing above them.
 */
public interface AgentServices {
    /** A summary of a session: key, agent, session id, model, token counts, times. */
    Map<String, Object> sessionStatus(SessionKey key);
}
