package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A gateway call that failed: the gateway could not be reached ({@link Kind#TRANSPORT}), refused the
 * connection ({@link Kind#REFUSED}), or answered the request with an error ({@link Kind#REQUEST},
 * with its protocol {@link #code()} and {@link #details()}).
 */
public final class GatewayException extends Exception {
    public enum Kind { TRANSPORT, REFUSED, REQUEST, TIMEOUT }

    private final Kind kind;
    private final String code;
    private final JsonNode details;

    public GatewayException(Kind kind, String code, String message, JsonNode details) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.details = details;
    }

    public Kind kind() {
        return kind;
    }

    /** The protocol error code (INVALID_REQUEST, FORBIDDEN, UNAVAILABLE, ...), or null. */
    public String code() {
        return code;
    }

    /** The error's details, or null. */
    public JsonNode details() {
        return details;
    }
}
