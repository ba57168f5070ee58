package dev.jclaw.routing;

/** How direct messages are grouped into sessions ({@code session.dmScope}). */
public enum DmScope {
    /** Every DM shares the agent's main session. */
    MAIN("main"),
    /** One session per sender, across channels: {@code agent:<id>:direct:<peer>}. */
    PER_PEER("per-peer"),
    /** One session per channel and sender: {@code agent:<id>:<channel>:direct:<peer>}. */
    PER_CHANNEL_PEER("per-channel-peer"),
    /** One session per channel, account and sender: {@code agent:<id>:<channel>:<account>:direct:<peer>}. */
    PER_ACCOUNT_CHANNEL_PEER("per-account-channel-peer");

    private final String wire;

    DmScope(String wire) {
        this.wire = wire;
    }

    /** The value as written in the config file. */
    @Override
    public String toString() {
        return wire;
    }
}
