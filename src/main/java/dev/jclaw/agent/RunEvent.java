package dev.jclaw.agent;

import java.util.Map;

/**
 * Something a run did, for streaming clients, in OpenClaw's {@code agent} event shape.
 *
 * @param seq    per run, from 1, without gaps
 * @param stream {@code lifecycle} (phase start / end / error), {@code assistant} (text deltas) or {@code tool} (phase start / end)
 */
public record RunEvent(String runId, String agentId, String sessionKey, long seq, String stream, Map<String, Object> data, long ts) {
    public static final String LIFECYCLE = "lifecycle";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";
}
