package dev.jclaw.gateway;

import java.util.Map;

/**
 * A request that fails with one of the protocol's error codes. Thrown by method handlers; the
 * connection turns it into {@code {type:"res", ok:false, error:{code, message, details}}}.
 */
final class GatewayError extends RuntimeException {
    /** Params failed validation, or the method's preconditions do not hold. */
    static final String INVALID_REQUEST = "INVALID_REQUEST";
    /** The caller's scopes do not allow the method. */
    static final String FORBIDDEN = "FORBIDDEN";
    /** The gateway, or what the method needs, cannot serve now (shutting down, an internal failure). */
    static final String UNAVAILABLE = "UNAVAILABLE";
    /** A device identity is required or was not accepted. */
    static final String NOT_PAIRED = "NOT_PAIRED";

    private final String code;
    private final Map<String, Object> details;
    private final boolean retryable;

    GatewayError(String code, String message) {
        this(code, message, null, false);
    }

    GatewayError(String code, String message, Map<String, Object> details, boolean retryable) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
        this.retryable = retryable;
    }

    static GatewayError invalid(String message) {
        return new GatewayError(INVALID_REQUEST, message);
    }

    static GatewayError invalid(String message, Map<String, Object> details) {
        return new GatewayError(INVALID_REQUEST, message, details, false);
    }

    String code() {
        return code;
    }

    Map<String, Object> details() {
        return details;
    }

    boolean retryable() {
        return retryable;
    }
}
