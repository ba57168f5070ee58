package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;

import java.util.List;
import java.util.Optional;

/**
 * Reading the session store. {@link SessionStore} implements it for the gateway;
 * {@link SessionStore#openReadOnly} gives one to tools while a gateway runs.
 */
public interface SessionReader extends AutoCloseable {
    Optional<SessionEntry> get(SessionKey key);

    /** The session whose current transcript is {@code sessionId}. */
    Optional<SessionEntry> findBySessionId(String sessionId);

    /** Sessions matching {@code query}, most recently updated first. */
    List<SessionEntry> list(SessionQuery query);

    /** The session of {@code agentId} labelled {@code label} (labels are unique per agent). */
    Optional<SessionEntry> findByLabel(String agentId, String label);

    /**
     * The last {@code limit} messages of the session's current transcript; empty when the session does
     * not exist. Lines that cannot be read are skipped and reported in {@link History#warnings()}.
     */
    History history(SessionKey key, int limit);

    @Override
    void close();
}
