package dev.jclaw.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An owner scope for child processes: every child is spawned through one, and closing it stops
 * all of them (concurrently, each with its bounded sequence), then kills anything still carrying
 * the cohort's {@code JCLAW_COHORT} marker. Use it in try-with-resources, or make it the field of an
 * owner that is itself closed in one; there is no other way to start a child.
 */
public final class Cohort implements AutoCloseable {
    private final ProcessSupervisor supervisor;
    private final String id;
    private final String label;
    private final Set<ChildProcess> children = ConcurrentHashMap.newKeySet();
    private boolean closed; // guarded by this

    Cohort(ProcessSupervisor supervisor, String id, String label) {
        this.supervisor = supervisor;
        this.id = id;
        this.label = label;
    }

    /** The {@code JCLAW_COHORT} value of its children. */
    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /**
     * Starts a child in this cohort.
     *
     * @throws ProcessStartException if the command cannot be started (named in the message)
     * @throws IllegalStateException if the cohort is closed
     */
    public ChildProcess spawn(ChildSpec spec) throws ProcessStartException {
        synchronized (this) {
            if (closed) throw new IllegalStateException("cohort " + id + " is closed");
        }
        ChildProcess child = supervisor.spawn(this, spec);
        synchronized (this) {
            if (!closed) {
                children.add(child);
                if (child.isStopped()) children.remove(child); // it ended before we added it
                return child;
            }
        }
        child.stop(); // closed while we were spawning: the child must not outlive the scope
        throw new IllegalStateException("cohort " + id + " was closed while '" + spec.name() + "' was starting");
    }

    /** Called by a child when its stop sequence is over. */
    synchronized void stopped(ChildProcess child) {
        children.remove(child);
    }

    /** Its live children now. */
    public List<ChildProcess> children() {
        return List.copyOf(children);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Stops every child (concurrently, bounded) and sweeps the cohort's marker; idempotent. */
    @Override
    public void close() {
        close(ChildExit.Reason.STOPPED);
    }

    void close(ChildExit.Reason reason) {
        List<ChildProcess> toStop;
        synchronized (this) {
            if (closed) return;
            closed = true;
            toStop = new ArrayList<>(children);
        }
        supervisor.stopAll(toStop, reason);
        supervisor.killMarked(ChildProcess.COHORT_ENV, id);
        supervisor.cohortClosed(this);
    }

    @Override
    public String toString() {
        return "Cohort[" + id + ", " + children.size() + " children]";
    }
}
