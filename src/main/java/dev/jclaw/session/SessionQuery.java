package dev.jclaw.session;

import dev.jclaw.routing.SessionKind;

import java.time.Instant;
import java.util.Set;

/**
 * Which sessions {@link SessionReader#list} returns, most recently updated first. Null filters match all.
 *
 * @param agentId       only this agent's sessions
 * @param spawnedBy     only sessions spawned by this key
 * @param updatedSince  only sessions updated at or after this instant
 * @param kinds         only these kinds (empty: all)
 * @param limit         at most this many (at least 1)
 */
public record SessionQuery(String agentId, String spawnedBy, Instant updatedSince, Set<SessionKind> kinds, int limit) {
    public static final int DEFAULT_LIMIT = 1_000;

    public SessionQuery {
        kinds = Set.copyOf(kinds);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }

    /** Every session, up to {@value #DEFAULT_LIMIT}. */
    public static SessionQuery all() {
        return new SessionQuery(null, null, null, Set.of(), DEFAULT_LIMIT);
    }

    public SessionQuery agent(String id) {
        return new SessionQuery(id, spawnedBy, updatedSince, kinds, limit);
    }

    public SessionQuery spawnedBy(String parentKey) {
        return new SessionQuery(agentId, parentKey, updatedSince, kinds, limit);
    }

    public SessionQuery updatedSince(Instant since) {
        return new SessionQuery(agentId, spawnedBy, since, kinds, limit);
    }

    public SessionQuery kinds(Set<SessionKind> only) {
        return new SessionQuery(agentId, spawnedBy, updatedSince, only, limit);
    }

    public SessionQuery limit(int max) {
        return new SessionQuery(agentId, spawnedBy, updatedSince, kinds, max);
    }
}
