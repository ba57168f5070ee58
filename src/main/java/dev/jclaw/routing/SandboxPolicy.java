package dev.jclaw.routing;

import java.util.Objects;

/**
 * Whether a turn runs sandboxed: one function of (mode, session key, main key, kind of the turn),
 * so the rule can be read in one place and tested as a table.
 *
 * <p><b>OpenClaw</b> decides by key alone: {@code off} never, {@code all} always, {@code non-main}
 * when the key differs from the agent's main key. Under {@code session.dmScope: "main"} a direct
 * message from any channel peer maps to the main key, so it ran unsandboxed with the operator's
 * trust (the second seed bug, PR #70442).
 *
 * <p><b>JClaw</b> keeps that rule except for one case: under {@code non-main}, a turn whose kind
 * {@linkplain SessionKind#carriesChannelPeer() carries a channel peer} is sandboxed even when it
 * enters the main session. {@code trustPeerInMain} ({@code sandbox.peerInMain: "trusted"}) restores
 * OpenClaw's behaviour for operators who accept it.
 *
 * <table>
 *   <caption>The decision</caption>
 *   <tr><th>mode</th><th>key</th><th>kind of turn</th><th>JClaw</th><th>OpenClaw</th></tr>
 *   <tr><td>off</td><td>any</td><td>any</td><td>direct</td><td>direct</td></tr>
 *   <tr><td>all</td><td>any</td><td>any</td><td>sandboxed</td><td>sandboxed</td></tr>
 *   <tr><td>non-main</td><td>main</td><td>main, cron, hook, subagent, other</td><td>direct</td><td>direct</td></tr>
 *   <tr><td>non-main</td><td>main</td><td>direct, group, channel</td><td><b>sandboxed</b></td><td>direct</td></tr>
 *   <tr><td>non-main</td><td>not main</td><td>any</td><td>sandboxed</td><td>sandboxed</td></tr>
 * </table>
 */
public final class SandboxPolicy {
    private SandboxPolicy() {}

    /** The outcome and the rule that produced it, for logs and {@code jclaw doctor}. */
    public record Decision(boolean sandboxed, String reason) {}

    /**
     * @param mode            the agent's {@code sandbox.mode}
     * @param key             the session the turn runs in
     * @param mainKey         the agent's main session ({@link SessionKey#GLOBAL} under {@code session.scope: "global"})
     * @param turnKind        where the turn comes from (a DM entering the main session is {@link SessionKind#DIRECT})
     * @param trustPeerInMain OpenClaw's rule for channel peers in the main session (JClaw default: false)
     */
    public static Decision decide(SandboxMode mode, SessionKey key, SessionKey mainKey, SessionKind turnKind,
                                  boolean trustPeerInMain) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mainKey, "mainKey");
        Objects.requireNonNull(turnKind, "turnKind");
        return switch (mode) {
            case OFF -> new Decision(false, "sandbox mode off");
            case ALL -> new Decision(true, "sandbox mode all");
            case NON_MAIN -> {
                if (!key.equals(mainKey)) yield new Decision(true, "not the main session");
                if (turnKind.carriesChannelPeer() && !trustPeerInMain) {
                    yield new Decision(true, "a " + turnKind + " turn from a channel peer in the main session");
                }
                yield new Decision(false, "the main session");
            }
        };
    }
}
