package dev.jclaw.routing;

/** Which sessions run sandboxed ({@code sandbox.mode}); decided per turn by {@link SandboxPolicy}. */
public enum SandboxMode {
    /** None. */
    OFF("off"),
    /** Every session but the agent's trusted main session. */
    NON_MAIN("non-main"),
    /** Every session. */
    ALL("all");

    private final String wire;

    SandboxMode(String wire) {
        this.wire = wire;
    }

    /** The value as written in the config file. */
    @Override
    public String toString() {
        return wire;
    }
}
