package dev.jclaw.tools;

import dev.jclaw.routing.SessionKey;

import java.time.Instant;

/**
 * Who is calling: the run, its agent and session, when the run must end, and what the agent layer
 * offers tools ({@link AgentServices}: tools sit below agent runs and reach them only through it).
 */
public record ToolContext(String runId, String agentId, SessionKey sessionKey, Instant deadline, AgentServices services) {}
