package dev.jclaw.web;

/** A fetch or search that did not give a result, with a message for the model naming the argument at fault. */
public final class WebException extends Exception {
    public WebException(String message) {
        super(message);
    }

    public WebException(String message, Throwable cause) {
        super(message, cause);
    }
}
