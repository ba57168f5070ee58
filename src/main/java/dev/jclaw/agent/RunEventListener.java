package dev.jclaw.agent;

/** Receives run events; called on the run's threads, so it must be quick and must not block. */
@FunctionalInterface
public interface RunEventListener {
    void onEvent(RunEvent event);
}
