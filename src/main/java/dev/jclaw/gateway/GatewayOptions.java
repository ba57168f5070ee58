package dev.jclaw.gateway;

import dev.jclaw.config.GatewayConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.Secret;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How the gateway listens and what it allows.
 *
 * @param host            the address to bind ({@code 127.0.0.1} for loopback)
 * @param port            the port; 0 picks a free one (tests)
 * @param authMode        none, token or password
 * @param secret          the token or password clients must present, or null for none
 * @param tickInterval    how often every client gets a {@code tick} event (OpenClaw: 30 s; its clients
 *                        give up after two silent intervals)
 * @param shutdownTimeout the bound on the whole shutdown, runs and MCP servers included
 * @param limits          sizes and times per connection
 */
public record GatewayOptions(String host, int port, GatewayConfig.AuthMode authMode, Secret secret, Duration tickInterval,
                             Duration shutdownTimeout, Limits limits) {
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(10);

    /**
     * @param maxPayload        the largest frame a client may send once connected (OpenClaw: 25 MiB)
     * @param maxPreauthPayload the largest frame before {@code connect} succeeds (OpenClaw: 64 KiB)
     * @param maxBufferedBytes  frames queued for one client at most; past it the client is cut off as a
     *                          slow consumer (close 1008), so a client that stops reading costs at most this
     * @param maxBufferedTotal  frames queued for all clients together at most: past it, a client with more
     *                          than 256 KiB queued is cut off too, so many slow clients cannot exhaust the heap
     * @param handshakeTimeout  how long a connection may take to send a valid {@code connect}
     * @param pingInterval      an empty WebSocket ping this often keeps idle connections and NATs alive
     * @param sendTimeout       one frame not written within this is a stalled client, cut off as slow
     * @param maxConnections    open WebSocket connections at most; more are refused with 1013
     */
    public record Limits(int maxPayload, int maxPreauthPayload, long maxBufferedBytes, long maxBufferedTotal, Duration handshakeTimeout,
                         Duration pingInterval, Duration sendTimeout, int maxConnections) {
        /** A quarter of the heap, within 32..256 MiB, for all clients' queued frames. */
        static final long DEFAULT_TOTAL = Math.min(256L << 20, Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4));
        public static final Limits DEFAULT = new Limits(25 * 1024 * 1024, 64 * 1024, 8L * 1024 * 1024, DEFAULT_TOTAL,
                Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(30), 512);

        public Limits withMaxBufferedBytes(long bytes) {
            return new Limits(maxPayload, maxPreauthPayload, bytes, maxBufferedTotal, handshakeTimeout, pingInterval, sendTimeout, maxConnections);
        }

        public Limits withMaxPayload(int bytes) {
            return new Limits(bytes, maxPreauthPayload, maxBufferedBytes, maxBufferedTotal, handshakeTimeout, pingInterval, sendTimeout, maxConnections);
        }

        public Limits withHandshakeTimeout(Duration timeout) {
            return new Limits(maxPayload, maxPreauthPayload, maxBufferedBytes, maxBufferedTotal, timeout, pingInterval, sendTimeout, maxConnections);
        }

        public Limits withSendTimeout(Duration timeout) {
            return new Limits(maxPayload, maxPreauthPayload, maxBufferedBytes, maxBufferedTotal, handshakeTimeout, pingInterval, timeout, maxConnections);
        }
    }

    public GatewayOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (authMode != GatewayConfig.AuthMode.NONE && secret == null) {
            throw new IllegalArgumentException("auth mode " + authMode + " needs its secret");
        }
        tickInterval = tickInterval == null ? DEFAULT_TICK : tickInterval;
        shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN : shutdownTimeout;
        limits = limits == null ? Limits.DEFAULT : limits;
    }

    /**
     * The options a config asks for.
     *
     * @param portOverride a {@code --port} flag, or null
     * @param bindOverride a {@code --bind} flag ({@code loopback}, {@code lan}, {@code auto}, or an address), or null
     * @throws GatewayStartException when the bind would expose the gateway without auth, or is not supported
     */
    public static GatewayOptions from(JClawConfig config, Integer portOverride, String bindOverride) {
        GatewayConfig gateway = config.gateway();
        String host = bindOverride != null ? hostOf(bindOverride, null) : hostOf(gateway.bind().toString(), gateway.customBindHost());
        GatewayConfig.Auth auth = gateway.auth() == null ? GatewayConfig.Auth.NONE : gateway.auth();
        Secret secret = switch (auth.mode()) {
            case TOKEN -> auth.token();
            case PASSWORD -> auth.password();
            case NONE -> null;
        };
        GatewayOptions options = new GatewayOptions(host, portOverride != null ? portOverride : gateway.port(), auth.mode(), secret,
                null, null, null);
        options.checkExposure();
        return options;
    }

    public GatewayOptions withLimits(Limits limits) {
        return new GatewayOptions(host, port, authMode, secret, tickInterval, shutdownTimeout, limits);
    }

    public GatewayOptions withTickInterval(Duration tick) {
        return new GatewayOptions(host, port, authMode, secret, tick, shutdownTimeout, limits);
    }

    public GatewayOptions withShutdownTimeout(Duration timeout) {
        return new GatewayOptions(host, port, authMode, secret, tickInterval, timeout, limits);
    }

    /** Whether the bind address reaches only this host. */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Refuses a bind that reaches other hosts while any client could connect without a secret. */
    void checkExposure() {
        if (authMode == GatewayConfig.AuthMode.NONE && !loopback()) {
            throw new GatewayStartException("refusing to listen on " + host + ":" + port + " without auth: anyone who reaches this host"
                    + " could run agents. Set gateway.auth.token (or JCLAW_GATEWAY_TOKEN / OPENCLAW_GATEWAY_TOKEN), or bind to loopback");
        }
    }

    private static String hostOf(String bind, String custom) {
        return switch (bind) {
            case "loopback", "auto" -> "127.0.0.1";
            case "lan" -> "0.0.0.0";
            case "custom" -> custom;
            case "tailnet" -> throw new GatewayStartException("gateway.bind \"tailnet\" is not supported by JClaw: use \"custom\" with"
                    + " gateway.customBindHost set to this host's tailnet address");
            default -> bind; // an address given with --bind
        };
    }
}
