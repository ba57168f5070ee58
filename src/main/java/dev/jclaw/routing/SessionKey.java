package dev.jclaw.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A session key, always in normal form: {@code agent:<agentId>:<rest>}, lowercased, with empty
 * segments dropped and {@code dm} written as {@code direct}; or the single key {@value #GLOBAL_TEXT}
 * ({@code session.scope: "global"}). The grammar of {@code <rest>}:
 * <pre>
 *   &lt;mainKey&gt;                                      main session (default "main")
 *   direct:&lt;peer&gt;                                   DM, dmScope per-peer
 *   &lt;channel&gt;:direct:&lt;peer&gt;                         DM, dmScope per-channel-peer
 *   &lt;channel&gt;:&lt;account&gt;:direct:&lt;peer&gt;               DM, dmScope per-account-channel-peer
 *   &lt;channel&gt;:group:&lt;id&gt; | &lt;channel&gt;:channel:&lt;id&gt;    group chat | room (also :room:)
 *   &lt;any of the above&gt;:thread:&lt;threadId&gt;           a thread inside it
 *   subagent:&lt;uuid&gt;                                 sub-agent (keyed by its target agent)
 *   cron:&lt;job&gt;[:run:&lt;run&gt;]                          cron job, or one run of it
 *   hook:&lt;uuid&gt;                                     webhook
 * </pre>
 * Keys are plain strings on the wire and in the store; this type only guarantees they are parsed
 * and built the same way everywhere.
 *
 * @param agentId the owning agent, or null for {@link #GLOBAL}
 * @param rest    everything after {@code agent:<agentId>:}
 */
public record SessionKey(String agentId, String rest) {
    static final String GLOBAL_TEXT = "global";
    /** {@code session.mainKey} when the config sets none. */
    public static final String DEFAULT_MAIN_KEY = "main";
    /** The one session of {@code session.scope: "global"}. */
    public static final SessionKey GLOBAL = new SessionKey(null, GLOBAL_TEXT);

    private static final String PREFIX = "agent";
    private static final String THREAD_MARKER = ":thread:";
    private static final String DEFAULT_ACCOUNT = "default";
    private static final String UNKNOWN = "unknown";

    /** Normalises both parts; {@code rest} must have at least one non-empty segment. */
    public SessionKey {
        Objects.requireNonNull(rest, "rest");
        if (agentId == null) {
            if (!rest.equals(GLOBAL_TEXT)) throw new IllegalArgumentException("only the global key has no agent");
        } else {
            agentId = AgentId.normalize(agentId);
            rest = normalizeRest(segments(lower(rest)));
            if (rest.isEmpty()) throw new IllegalArgumentException("session key of agent " + agentId + " has an empty rest");
        }
    }

    /**
     * Parses and normalises a full key.
     *
     * @throws IllegalArgumentException when the text is not {@code agent:<id>:<rest>} or {@code global}
     */
    public static SessionKey parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "session key \"" + text + "\" must look like agent:<agentId>:<rest> (or be \"global\")"));
    }

    /** Like {@link #parse}, empty instead of throwing. Null gives empty. */
    public static Optional<SessionKey> tryParse(String text) {
        if (text == null) return Optional.empty();
        String lower = text.strip().toLowerCase(Locale.ROOT);
        if (lower.equals(GLOBAL_TEXT)) return Optional.of(GLOBAL);
        List<String> parts = segments(lower);
        if (parts.size() < 3 || !parts.getFirst().equals(PREFIX)) return Optional.empty();
        return Optional.of(new SessionKey(parts.get(1), String.join(":", parts.subList(2, parts.size()))));
    }

    /**
     * The key a request names, scoped to {@code agentId} as OpenClaw does for keys without the
     * {@code agent:} prefix: blank or {@code main} gives {@code mainKey}; a full key is parsed;
     * anything else {@code foo} becomes {@code agent:<agentId>:foo}.
     *
     * @throws IllegalArgumentException for text that starts with {@code agent:} but is not a key
     */
    public static SessionKey scoped(String requestKey, String agentId, SessionKey mainKey) {
        String lower = requestKey == null ? "" : requestKey.strip().toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals(DEFAULT_MAIN_KEY)) return mainKey;
        if (lower.equals(GLOBAL_TEXT) || lower.startsWith(PREFIX + ":")) return parse(lower);
        return new SessionKey(agentId, lower);
    }

    /** {@code agent:<agentId>:<mainKey>}; a blank main key means {@code main}. */
    public static SessionKey main(String agentId, String mainKey) {
        return new SessionKey(agentId, normalizeMainKey(mainKey));
    }

    /**
     * The session of a direct message under {@code dmScope}. A blank peer, or scope {@link DmScope#MAIN},
     * gives the main session; a blank channel is {@code unknown}, a blank account {@code default}.
     */
    public static SessionKey direct(String agentId, DmScope dmScope, String mainKey, String channel, String accountId,
                                    String peerId) {
        String peer = lower(peerId);
        if (dmScope == DmScope.MAIN || peer.isEmpty()) return main(agentId, mainKey);
        String rest = switch (dmScope) {
            case PER_PEER -> "direct:" + peer;
            case PER_CHANNEL_PEER -> orUnknown(channel) + ":direct:" + peer;
            case PER_ACCOUNT_CHANNEL_PEER -> orUnknown(channel) + ":" + orDefault(accountId) + ":direct:" + peer;
            case MAIN -> throw new AssertionError();
        };
        return new SessionKey(agentId, rest);
    }

    /** {@code agent:<agentId>:<channel>:group:<groupId>}. */
    public static SessionKey group(String agentId, String channel, String groupId) {
        return new SessionKey(agentId, orUnknown(channel) + ":group:" + orUnknown(groupId));
    }

    /** {@code agent:<agentId>:<channel>:channel:<channelId>} (Discord/Slack rooms). */
    public static SessionKey channel(String agentId, String channel, String channelId) {
        return new SessionKey(agentId, orUnknown(channel) + ":channel:" + orUnknown(channelId));
    }

    /** {@code agent:<targetAgentId>:subagent:<id>}. */
    public static SessionKey subagent(String targetAgentId, UUID id) {
        return new SessionKey(targetAgentId, "subagent:" + id);
    }

    /** {@code agent:<agentId>:cron:<jobId>}. */
    public static SessionKey cron(String agentId, String jobId) {
        return new SessionKey(agentId, "cron:" + jobId);
    }

    /** {@code agent:<agentId>:cron:<jobId>:run:<runId>}: one isolated run of a job. */
    public static SessionKey cronRun(String agentId, String jobId, String runId) {
        return new SessionKey(agentId, "cron:" + jobId + ":run:" + runId);
    }

    /** {@code agent:<agentId>:hook:<id>}. */
    public static SessionKey hook(String agentId, UUID id) {
        return new SessionKey(agentId, "hook:" + id);
    }

    /** This key with {@code :thread:<threadId>} appended; a blank thread id returns this key. */
    public SessionKey withThread(String threadId) {
        String thread = lower(threadId);
        if (thread.isEmpty()) return this;
        return agentId == null ? this : new SessionKey(agentId, rest + THREAD_MARKER + thread);
    }

    /** The thread id of a thread key, or null. */
    public String threadId() {
        int marker = rest.lastIndexOf(THREAD_MARKER);
        return marker < 0 ? null : rest.substring(marker + THREAD_MARKER.length());
    }

    /** The key without its thread suffix (itself when it has none). */
    public SessionKey withoutThread() {
        int marker = rest.lastIndexOf(THREAD_MARKER);
        return marker < 0 ? this : new SessionKey(agentId, rest.substring(0, marker));
    }

    /**
     * The kind this key's shape denotes; {@code mainKey} is the configured main key (as in
     * {@code session.mainKey}) so the main session can be told from a client-made key.
     */
    public SessionKind kind(String mainKey) {
        if (agentId == null) return SessionKind.MAIN;
        List<String> parts = List.of(withoutThread().rest.split(":"));
        switch (parts.getFirst()) {
            case "subagent": return SessionKind.SUBAGENT;
            case "cron": return SessionKind.CRON;
            case "hook": return SessionKind.HOOK;
            default: break;
        }
        for (int i = 0; i < Math.min(3, parts.size() - 1); i++) {
            if (parts.get(i).equals("direct")) return SessionKind.DIRECT;
        }
        if (parts.size() >= 3) {
            if (parts.get(1).equals("group")) return SessionKind.GROUP;
            if (parts.get(1).equals("channel") || parts.get(1).equals("room")) return SessionKind.CHANNEL;
        }
        return rest.equals(normalizeMainKey(mainKey)) ? SessionKind.MAIN : SessionKind.OTHER;
    }

    /**
     * The channel a DM, group or room key names ({@code telegram} in {@code agent:x:telegram:direct:bob}),
     * or null for keys without one ({@code direct:<peer>} under per-peer, main, sub-agent, cron, hook).
     */
    public String channel() {
        SessionKind kind = kind(DEFAULT_MAIN_KEY);
        if (!kind.carriesChannelPeer()) return null;
        String first = withoutThread().rest.split(":")[0];
        return first.equals("direct") ? null : first;
    }

    /** How deep in a chain of sub-agents this key sits (0 for a key that is no sub-agent). */
    public int subagentDepth() {
        String text = ":" + rest + ":";
        int depth = 0;
        for (int at = text.indexOf(":subagent:"); at >= 0; at = text.indexOf(":subagent:", at + 1)) depth++;
        return depth;
    }

    /** The normal form, as stored and sent on the wire. */
    @Override
    public String toString() {
        return agentId == null ? rest : PREFIX + ":" + agentId + ":" + rest;
    }

    /** {@code session.mainKey} normalised: lowercased, blank meaning {@code main}. */
    public static String normalizeMainKey(String mainKey) {
        String lower = lower(mainKey);
        return lower.isEmpty() ? DEFAULT_MAIN_KEY : normalizeRest(segments(lower));
    }

    private static List<String> segments(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(":")) {
            if (!part.isEmpty()) parts.add(part);
        }
        return parts;
    }

    /** Joins segments, writing the {@code dm} alias as {@code direct} where a peer kind stands. */
    private static String normalizeRest(List<String> parts) {
        List<String> out = new ArrayList<>(parts);
        for (int i = 0; i < Math.min(3, out.size() - 1); i++) {
            if (out.get(i).equals("dm")) out.set(i, "direct");
        }
        return String.join(":", out);
    }

    private static String lower(String text) {
        return text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    }

    private static String orUnknown(String text) {
        String lower = lower(text);
        return lower.isEmpty() ? UNKNOWN : lower;
    }

    private static String orDefault(String accountId) {
        String lower = lower(accountId);
        return lower.isEmpty() ? DEFAULT_ACCOUNT : lower;
    }
}
