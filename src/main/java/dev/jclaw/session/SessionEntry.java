package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One row of the session store: the key, the transcript it currently writes to, and its metadata.
 *
 * @param key              the session key (normal form)
 * @param agentId          the owning agent
 * @param sessionId        the current transcript's id (a UUID; a reset gives a new one)
 * @param kind             what kind of conversation it is
 * @param channel          the channel it came from, or null
 * @param label            a name to find it by ({@code sessions_send{label}}), or null
 * @param spawnedBy        the key of the session that spawned it (sub-agents), or null
 * @param startedAt        when the current sessionId started
 * @param updatedAt        last change: a message appended or metadata updated
 * @param providerOverride model provider chosen for this session, or null
 * @param modelOverride    model chosen for this session, or null
 * @param tokens           token counters of the current sessionId
 * @param transcript       absolute path of the current transcript file
 */
public record SessionEntry(SessionKey key, String agentId, String sessionId, SessionKind kind, String channel, String label,
                           String spawnedBy, Instant startedAt, Instant updatedAt, String providerOverride,
                           String modelOverride, TokenCounts tokens, Path transcript) {

    /**
     * Best-effort token counters, as OpenClaw keeps them: input and output summed over the session's
     * runs, context as last reported.
     */
    public record TokenCounts(long input, long output, long total, long context) {
        public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0);
    }
}
