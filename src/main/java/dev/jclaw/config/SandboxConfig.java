package dev.jclaw.config;

import dev.jclaw.routing.SandboxMode;

/**
 * An agent's sandbox ({@code agents.defaults.sandbox}, overridden field by field per agent). Which
 * sessions run sandboxed is decided by {@link dev.jclaw.routing.SandboxPolicy} from these values.
 *
 * @param peerInMain JClaw addition: how a turn from a channel peer (a direct message that lands in
 *                   the main session under {@code session.dmScope: "main"}) is treated when
 *                   {@code mode} is {@code non-main}. OpenClaw decides by session key alone and runs
 *                   it unsandboxed; JClaw sandboxes it unless this is {@link PeerInMain#TRUSTED}.
 */
public record SandboxConfig(SandboxMode mode, Scope scope, WorkspaceAccess workspaceAccess, PeerInMain peerInMain) {
    public static final SandboxConfig DEFAULT = new SandboxConfig(SandboxMode.OFF, Scope.AGENT, WorkspaceAccess.NONE, PeerInMain.SANDBOXED);

    /** How many sessions share one sandbox container. */
    public enum Scope {
        SESSION("session"), AGENT("agent"), SHARED("shared");

        private final String wire;

        Scope(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** What the sandbox sees of the agent's workspace. */
    public enum WorkspaceAccess {
        NONE("none"), RO("ro"), RW("rw");

        private final String wire;

        WorkspaceAccess(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** See {@link SandboxConfig#peerInMain()}. */
    public enum PeerInMain {
        SANDBOXED("sandboxed"), TRUSTED("trusted");

        private final String wire;

        PeerInMain(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
