package dev.jclaw.agent;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** A run that was accepted: its ids, its outcome to come, and the way to abort it. */
public interface RunHandle {
    String runId();

    String agentId();

    String sessionKey();

    Instant acceptedAt();

    /** Completes when the run is over and everything it opened is closed. */
    CompletableFuture<RunResult> result();

    /** Aborts the run (queued or running): it ends with status aborted, its resources closed. Returns false if it was over. */
    boolean abort(String reason);
}
