package dev.jclaw.process;

/** A child could not be started; the message names the child, the command and the cause. */
public final class ProcessStartException extends Exception {
    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
