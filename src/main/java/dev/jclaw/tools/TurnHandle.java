package dev.jclaw.tools;

import java.util.concurrent.CompletableFuture;

/** A turn the agent layer accepted. */
public interface TurnHandle {
    String runId();

    String sessionKey();

    /** Completes when the turn is over and everything it opened is closed. */
    CompletableFuture<TurnOutcome> outcome();

    boolean abort(String reason);

    /** How a turn ended: {@code ok}, {@code error}, {@code timeout} or {@code aborted}; its final text; why it failed. */
    record TurnOutcome(String status, String text, String error) {
        public boolean ok() {
            return "ok".equals(status);
        }
    }
}
