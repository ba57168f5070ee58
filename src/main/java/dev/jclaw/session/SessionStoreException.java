package dev.jclaw.session;

/** The session store failed (disk full, unreadable file, newer schema); the message says which. */
public final class SessionStoreException extends RuntimeException {
    SessionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
