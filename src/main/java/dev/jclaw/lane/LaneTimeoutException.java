package dev.jclaw.lane;

/** A run waited for its lane longer than it may; it holds nothing. */
public final class LaneTimeoutException extends RuntimeException {
    public LaneTimeoutException(String message) {
        super(message);
    }
}
