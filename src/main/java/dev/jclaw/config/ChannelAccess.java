package dev.jclaw.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may reach an agent through one account of a chat app, as OpenClaw configures it for every
 * channel: direct messages ({@code dmPolicy}, {@code allowFrom}), groups ({@code groupPolicy},
 * {@code groupAllowFrom}, {@code groups.<id>}) and forum topics ({@code groups.<id>.topics.<id>}).
 * Sender and chat ids are normalised by the channel that read them (Telegram strips {@code tg:}).
 *
 * @param dmPolicy       who may send direct messages
 * @param allowFrom      sender ids admitted to DMs ({@code *}: anyone); the groups' fallback
 * @param groupPolicy    group senders: {@code open}, {@code allowlist} or {@code disabled}
 * @param groupAllowFrom sender ids admitted in groups, or null to fall back to {@code allowFrom}
 *                       (never to DM pairing approvals)
 * @param groups         per-group rules by chat id, {@code *} for every group; when not empty it is
 *                       also the list of groups admitted at all
 */
public record ChannelAccess(DmPolicy dmPolicy, List<String> allowFrom, GroupPolicy groupPolicy, List<String> groupAllowFrom,
                            Map<String, GroupRules> groups) {
    public static final String ANY = "*";
    /** Nobody: what a channel without access settings gets (pairing for DMs, groups blocked). */
    public static final ChannelAccess DEFAULT = new ChannelAccess(DmPolicy.PAIRING, List.of(), GroupPolicy.ALLOWLIST, null, Map.of());

    public ChannelAccess {
        allowFrom = List.copyOf(allowFrom);
        groupAllowFrom = groupAllowFrom == null ? null : List.copyOf(groupAllowFrom);
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /**
     * One group's rules; null fields inherit (a topic from its group, a group from the account).
     *
     * @param topics per-topic rules by thread id, {@code *} for every topic
     */
    public record GroupRules(Boolean enabled, Boolean requireMention, GroupPolicy groupPolicy, List<String> allowFrom,
                             Map<String, TopicRules> topics) {
        public GroupRules {
            allowFrom = allowFrom == null ? null : List.copyOf(allowFrom);
            topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
        }
    }

    /** One forum topic's rules; {@code agentId} (topic-only, never inherited) routes the topic to that agent. */
    public record TopicRules(Boolean enabled, Boolean requireMention, GroupPolicy groupPolicy, List<String> allowFrom, String agentId) {
        public TopicRules {
            allowFrom = allowFrom == null ? null : List.copyOf(allowFrom);
        }
    }

    /** {@code dmPolicy}. */
    public enum DmPolicy {
        /** Unknown senders get a pairing code; an operator approves them (the default). */
        PAIRING("pairing"),
        /** Only senders in {@code allowFrom}. */
        ALLOWLIST("allowlist"),
        /** Anyone when {@code allowFrom} holds {@code *}, else the listed senders. */
        OPEN("open"),
        /** No direct messages. */
        DISABLED("disabled");

        private final String wire;

        DmPolicy(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** {@code groupPolicy}. */
    public enum GroupPolicy {
        /** Any group (unless {@code groups} lists some), any sender. */
        OPEN("open"),
        /** Only listed groups, only senders in {@code groupAllowFrom} (else {@code allowFrom}). */
        ALLOWLIST("allowlist"),
        /** No group messages. */
        DISABLED("disabled");

        private final String wire;

        GroupPolicy(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
