package dev.jclaw.routing;

import java.util.Objects;

/**
 * Where a turn comes from, for the decisions made from it rather than from its session key: the
 * kind of conversation and, for a channel peer, who it is and the session a sandbox and tool policy
 * treat the turn as (OpenClaw's "runtime-policy key").
 *
 * <p>The two keys differ when a conversation was folded into the main session: under
 * {@code session.dmScope: "main"} a Telegram DM runs in {@code agent:a:main} (its transcript is the
 * main one), but its policy key is {@code agent:a:telegram:<account>:direct:<peer>}, so it is never
 * mistaken for the operator's trusted main session (the seed's second bug) and, under sandbox scope
 * {@code session}, never shares a sandbox with the operator or with another peer.
 *
 * @param kind      {@link SessionKind#DIRECT}, {@link SessionKind#GROUP}, ... for a channel peer;
 *                  the session key's own kind for everything else
 * @param channel   the channel a peer wrote on, or null
 * @param accountId the channel account, or null
 * @param peerId    the sender (DM) or chat (group), or null
 * @param policyKey the session the sandbox and tool policy treat this turn as
 */
public record TurnOrigin(SessionKind kind, String channel, String accountId, String peerId, SessionKey policyKey) {
    public TurnOrigin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policyKey, "policyKey");
    }

    /** A turn that is what its session key says (an operator, a cron job, another agent). */
    public static TurnOrigin ofSession(SessionKey key, String mainKey) {
        return new TurnOrigin(key.kind(mainKey), null, null, null, key);
    }

    /**
     * A turn from a channel peer.
     *
     * @param sessionKey where the conversation runs (the main key when folded into it)
     * @param mainKey    the agent's main session
     * @param ownKey     the key the conversation has when nothing folds it: per account, channel and
     *                   peer for a DM, per group (and topic) for a group
     */
    public static TurnOrigin channelPeer(SessionKind kind, String channel, String accountId, String peerId,
                                         SessionKey sessionKey, SessionKey mainKey, SessionKey ownKey) {
        if (!kind.carriesChannelPeer()) throw new IllegalArgumentException(kind + " is not a channel peer's kind");
        return new TurnOrigin(kind, channel, accountId, peerId, sessionKey.equals(mainKey) ? ownKey : sessionKey);
    }
}
