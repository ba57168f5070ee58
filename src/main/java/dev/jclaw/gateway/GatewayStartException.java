package dev.jclaw.gateway;

/**
 * The gateway cannot start: its port is taken, the bind would expose it without auth, the address is
 * not one of this host's. The message says what and how to fix it, fit for the terminal.
 */
public final class GatewayStartException extends RuntimeException {
    public GatewayStartException(String message) {
        super(message);
    }

    public GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
