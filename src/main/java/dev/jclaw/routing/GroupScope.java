package dev.jclaw.routing;

/** How group chats are grouped into sessions ({@code session.groupScope}). */
public enum GroupScope {
    /** Every group shares the agent's main session. */
    MAIN("main"),
    /** One session per group: {@code agent:<id>:<channel>:group:<id>} (the default). */
    PER_GROUP("per-group");

    private final String wire;

    GroupScope(String wire) {
        this.wire = wire;
    }

    /** The value as written in the config file. */
    @Override
    public String toString() {
        return wire;
    }
}
