package dev.jclaw.config;

import dev.jclaw.routing.DmScope;
import dev.jclaw.routing.GroupScope;
import dev.jclaw.routing.SessionKey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code session} section: how conversations map to session keys, and when sessions reset.
 *
 * @param dmScope          how direct messages are grouped into sessions (default {@code main})
 * @param mainKey          the main session's key suffix, lowercased (default {@code main})
 * @param scope            {@code global} puts every conversation in the single session {@code global}
 * @param maxPingPongTurns reply-back turns between two agents after {@code sessions_send}, 0-5 (default 5)
 * @param reset            automatic reset policy
 * @param groupScope       how group chats are grouped into sessions (default {@code per-group})
 * @param identityLinks    one person's ids across channels: a canonical name to the ids
 *                         ({@code "telegram:123"} or a bare {@code "123"}) that stand for it in DM session keys
 */
public record SessionConfig(DmScope dmScope, String mainKey, Scope scope, int maxPingPongTurns, Reset reset, GroupScope groupScope,
                            Map<String, List<String>> identityLinks) {
    public SessionConfig {
        identityLinks = Collections.unmodifiableMap(new LinkedHashMap<>(identityLinks));
    }

    /**
     * The canonical name {@code identityLinks} gives a DM sender, or null: the first name (in file
     * order) listing {@code <channel>:<peerId>} or the bare {@code <peerId>}, compared case-insensitively.
     */
    public String linkedPeer(String channel, String peerId) {
        if (peerId == null || peerId.isBlank() || identityLinks.isEmpty()) return null;
        String bare = peerId.strip().toLowerCase(Locale.ROOT);
        String scoped = channel == null || channel.isBlank() ? null : channel.strip().toLowerCase(Locale.ROOT) + ":" + bare;
        for (Map.Entry<String, List<String>> link : identityLinks.entrySet()) {
            if (link.getKey().isBlank()) continue;
            for (String id : link.getValue()) {
                String normalized = id.strip().toLowerCase(Locale.ROOT);
                if (normalized.equals(bare) || normalized.equals(scoped)) return link.getKey().strip();
            }
        }
        return null;
    }

    /** The main session of {@code agentId}: {@link SessionKey#GLOBAL} under scope {@code global}. */
    public SessionKey mainSessionKey(String agentId) {
        return scope == Scope.GLOBAL ? SessionKey.GLOBAL : SessionKey.main(agentId, mainKey);
    }

    public static final int DEFAULT_MAX_PING_PONG_TURNS = 5;
    public static final SessionConfig DEFAULT =
            new SessionConfig(DmScope.MAIN, SessionKey.DEFAULT_MAIN_KEY, Scope.PER_SENDER, DEFAULT_MAX_PING_PONG_TURNS, Reset.NONE,
                    GroupScope.PER_GROUP, Map.of());

    /** Base grouping of conversations. */
    public enum Scope {
        PER_SENDER("per-sender"), GLOBAL("global");

        private final String wire;

        Scope(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * When a session gets a fresh sessionId on its next message: never (the default, as in OpenClaw
     * 2026.9), daily at {@code atHour} local time, or after {@code idleMinutes} without interaction.
     *
     * @param idleMinutes minutes, or null when not set
     */
    public record Reset(ResetMode mode, int atHour, Integer idleMinutes) {
        public static final int DEFAULT_AT_HOUR = 4;
        public static final Reset NONE = new Reset(ResetMode.NONE, DEFAULT_AT_HOUR, null);
    }

    public enum ResetMode {
        NONE("none"), DAILY("daily"), IDLE("idle");

        private final String wire;

        ResetMode(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
