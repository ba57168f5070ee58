package dev.jclaw.config;

import dev.jclaw.routing.DmScope;
import dev.jclaw.routing.GroupScope;

import java.util.List;

/**
 * One entry of the top-level {@code bindings}: which agent answers conversations that match.
 * Matched in OpenClaw's order of tiers (exact peer, the parent peer of a thread, peer wildcard,
 * guild and roles, guild, team, account, channel-wide), the first match in file order within a tier.
 *
 * @param agentId   the agent (a configured one)
 * @param acp       {@code type: "acp"} (OpenClaw's ACP bindings; JClaw does not route them)
 * @param match     what the conversation must match
 * @param dmScope   overrides {@code session.dmScope} for matched conversations, or null
 * @param groupScope overrides {@code session.groupScope}, or null
 */
public record BindingConfig(String agentId, boolean acp, Match match, DmScope dmScope, GroupScope groupScope) {
    /** {@code match.accountId} meaning every account. */
    public static final String ANY_ACCOUNT = "*";

    /**
     * @param channel   the channel id, lowercased
     * @param accountId an account id, {@code *} for all, or null for the channel's default account
     * @param peer      a chat, or null
     * @param roles     Discord role ids, or empty
     */
    public record Match(String channel, String accountId, Peer peer, String guildId, String teamId, List<String> roles) {
        public Match {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** @param kind {@code direct}, {@code group} or {@code channel}; @param id the chat's id or {@code *} */
    public record Peer(String kind, String id) {}
}
