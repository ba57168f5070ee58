package dev.jclaw.routing;

/**
 * What kind of conversation a session (or the turn that enters it) comes from. A key's shape gives
 * its kind ({@link SessionKey#kind}); a turn can differ from its key: under {@code dmScope: "main"} a
 * direct message enters the main session's key with kind {@link #DIRECT}.
 */
public enum SessionKind {
    /** The agent's main session, reached by its operator (CLI, gateway clients, WebChat). */
    MAIN("main"),
    /** A direct message from a channel peer. */
    DIRECT("direct"),
    /** A channel group chat. */
    GROUP("group"),
    /** A channel room or channel (Discord, Slack). */
    CHANNEL("channel"),
    /** A sub-agent spawned by another session. */
    SUBAGENT("subagent"),
    /** A cron job. */
    CRON("cron"),
    /** A webhook. */
    HOOK("hook"),
    /** Anything else: keys made up by clients. */
    OTHER("other");

    private final String wire;

    SessionKind(String wire) {
        this.wire = wire;
    }

    /** Whether the conversation has a channel peer (a person or chat JClaw does not control) on the other side. */
    public boolean carriesChannelPeer() {
        return this == DIRECT || this == GROUP || this == CHANNEL;
    }

    /** The kind as stored and listed ({@code main}, {@code direct}, ...). */
    @Override
    public String toString() {
        return wire;
    }

    /** The kind named {@code text} (as {@link #toString()} writes it), or {@link #OTHER}. */
    public static SessionKind fromString(String text) {
        for (SessionKind kind : values()) {
            if (kind.wire.equals(text)) return kind;
        }
        return OTHER;
    }
}
