package dev.jclaw.config;

/**
 * The {@code gateway} section.
 *
 * @param port           listening port: {@code JCLAW_GATEWAY_PORT} / {@code OPENCLAW_GATEWAY_PORT}, else
 *                       the file, else 18789 (a {@code --port} flag, applied by the CLI, beats all)
 * @param bind           which interfaces to listen on
 * @param customBindHost the address for {@code bind: "custom"}, else null
 * @param auth           how clients authenticate; never {@code none} on a non-loopback bind
 */
public record GatewayConfig(int port, Bind bind, String customBindHost, Auth auth) {
    public static final int DEFAULT_PORT = 18789;
    public static final GatewayConfig DEFAULT = new GatewayConfig(DEFAULT_PORT, Bind.LOOPBACK, null, Auth.NONE);

    /** Which interfaces the gateway listens on. */
    public enum Bind {
        LOOPBACK("loopback"), LAN("lan"), AUTO("auto"), CUSTOM("custom"), TAILNET("tailnet");

        private final String wire;

        Bind(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * Client authentication. The secret for the mode is present: {@code token} in token mode,
     * {@code password} in password mode ({@code JCLAW_GATEWAY_TOKEN} / {@code OPENCLAW_GATEWAY_TOKEN}
     * and the matching {@code _PASSWORD} variables fill them when the file does not).
     */
    public record Auth(AuthMode mode, Secret token, Secret password) {
        public static final Auth NONE = new Auth(AuthMode.NONE, null, null);
    }

    public enum AuthMode {
        NONE("none"), TOKEN("token"), PASSWORD("password");

        private final String wire;

        AuthMode(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
