package dev.jclaw.mcp;

import dev.jclaw.process.Cohort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The MCP servers of one scope key (a session, an agent, or the gateway), in one process cohort.
 *
 * <h2>Design note: lifetime by lease</h2>
 * A runtime is ACTIVE while it may be leased, RETIRING once something decided it must go (its
 * session ended, was reset or deleted, it idled past its TTL, the gateway stops) and DISPOSED when
 * its servers are closed and its cohort — and so every process it ever started — is gone. The
 * decision to retire and the last lease's release may come in either order; whichever comes second
 * disposes, exactly once. A runtime with a lease or a call in flight is never disposed by idleness.
 * State, lease and call counts are guarded by {@code this}; disposing runs outside the lock.
 */
final class McpRuntime {
    private static final Logger log = LoggerFactory.getLogger(McpRuntime.class);
    /** The longest anyone waits for a disposal (it is bounded by its servers' stop policies, run concurrently). */
    static final Duration DISPOSE_WAIT = Duration.ofSeconds(30);

    enum State { ACTIVE, RETIRING, DISPOSED }

    private final ScopeKey key;
    private final Cohort cohort;
    private final McpRuntimeManager.Context context;
    private final Map<String, McpServerSlot> slots = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> disposed = new CompletableFuture<>();
    private final long createdNanos = System.nanoTime();
    private State state = State.ACTIVE;
    private int leases;
    private int callsInFlight;
    private long lastUsedNanos = System.nanoTime();

    McpRuntime(ScopeKey key, Cohort cohort, McpRuntimeManager.Context context) {
        this.key = key;
        this.cohort = cohort;
        this.context = context;
    }

    ScopeKey key() {
        return key;
    }

    /** Completes when the runtime is disposed and its processes are gone. */
    CompletableFuture<Void> disposed() {
        return disposed;
    }

    /** Takes a lease if the runtime is still ACTIVE. */
    synchronized boolean tryLease() {
        if (state != State.ACTIVE) return false;
        leases++;
        lastUsedNanos = System.nanoTime();
        return true;
    }

    void release() {
        boolean dispose;
        synchronized (this) {
            leases--;
            lastUsedNanos = System.nanoTime();
            dispose = state == State.RETIRING && leases == 0 && callsInFlight == 0;
        }
        if (dispose) dispose();
    }

    synchronized void callStarted() {
        callsInFlight++;
    }

    void callEnded() {
        boolean dispose;
        synchronized (this) {
            callsInFlight--;
            lastUsedNanos = System.nanoTime();
            dispose = state == State.RETIRING && leases == 0 && callsInFlight == 0;
        }
        if (dispose) dispose();
    }

    /**
     * The slot for this exact server config. A slot of the same server with another config is
     * retired first: its tree is dead before the new one may start.
     */
    McpServerSlot slot(McpServerSpec spec) {
        String slotKey = spec.name() + "#" + spec.fingerprint();
        McpServerSlot existing = slots.get(slotKey);
        if (existing != null) return existing;
        List<McpServerSlot> stale = new ArrayList<>();
        McpServerSlot created;
        synchronized (this) {
            if (state == State.DISPOSED) {
                throw new McpException(McpException.Kind.CLOSED, spec.name(), "runtime " + key + " is disposed");
            }
            existing = slots.get(slotKey);
            if (existing != null) return existing;
            slots.entrySet().removeIf(e -> {
                boolean same = e.getValue().spec().name().equals(spec.name()) && java.util.Objects.equals(e.getValue().spec().owner(), spec.owner());
                if (same) stale.add(e.getValue());
                return same;
            });
            CompletableFuture<Void> predecessorsGone = stale.isEmpty() ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> stale.forEach(McpServerSlot::close), Thread::startVirtualThread);
            created = new McpServerSlot(spec, cohort, context, predecessorsGone);
            slots.put(slotKey, created);
        }
        if (!stale.isEmpty()) log.info("MCP server '{}' in {}: config changed, retiring the old instance", spec.label(), key);
        return created;
    }

    /** Closes (and forgets) the servers matching {@code retire}: a reload's changed or removed servers. */
    void retireServers(Predicate<McpServerSpec> retire) {
        List<McpServerSlot> closing = new ArrayList<>();
        synchronized (this) {
            slots.entrySet().removeIf(e -> {
                boolean match = retire.test(e.getValue().spec());
                if (match) closing.add(e.getValue());
                return match;
            });
        }
        closeAll(closing);
    }

    /** Marks the runtime for disposal; disposes now if nothing holds it. */
    void retire() {
        boolean dispose;
        synchronized (this) {
            if (state != State.ACTIVE) return;
            state = State.RETIRING;
            dispose = leases == 0 && callsInFlight == 0;
        }
        if (dispose) dispose();
    }

    /** Retires the runtime if it has been unused (no lease, no call) for longer than {@code ttl}. */
    boolean retireIfIdle(Duration ttl) {
        synchronized (this) {
            if (state != State.ACTIVE || leases > 0 || callsInFlight > 0) return false;
            if (System.nanoTime() - lastUsedNanos < ttl.toNanos()) return false;
            state = State.RETIRING;
        }
        log.info("MCP runtime {} idle for more than {} ms: retiring it", key, ttl.toMillis());
        // Off the caller's thread (the manager's one timer): stopping the servers takes up to their stop policy.
        Thread.ofVirtual().name("jclaw-mcp-retire").start(this::dispose);
        return true;
    }

    /** Pings each ready server; one that does not answer is treated as crashed. */
    void healthCheck(Duration timeout) {
        slots.values().forEach(slot -> slot.healthCheck(timeout));
    }

    /**
     * Closes every server and the cohort: afterwards no process of this runtime exists. Runs once; a
     * caller that finds it running (the manager's close during an idle retirement) waits for it, so
     * "when dispose returns, the tree is gone" holds for every caller.
     */
    void dispose() {
        List<McpServerSlot> closing;
        synchronized (this) {
            closing = state == State.DISPOSED ? null : new ArrayList<>(slots.values());
            state = State.DISPOSED;
            slots.clear();
        }
        if (closing == null) {
            awaitDisposed();
            return;
        }
        try {
            try {
                closeAll(closing);
            } finally {
                cohort.close(); // whatever a server left behind in this scope, even if a server's stop threw
            }
        } finally {
            context.disposed(this);
            disposed.complete(null);
        }
    }

    private void awaitDisposed() {
        try {
            disposed.get(DISPOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("MCP runtime {}: its disposal did not finish within {} s", key, DISPOSE_WAIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<McpServerSlot> closing) {
        if (closing.size() == 1) {
            closing.getFirst().close();
            return;
        }
        List<Thread> threads = closing.stream().map(slot -> Thread.ofVirtual().start(slot::close)).toList();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized McpStatus.Runtime status() {
        long now = System.nanoTime();
        return new McpStatus.Runtime(key.toString(), state.name().toLowerCase(), (now - createdNanos) / 1_000_000,
                (leases > 0 || callsInFlight > 0) ? 0 : (now - lastUsedNanos) / 1_000_000, leases, callsInFlight,
                slots.values().stream().map(McpServerSlot::status).toList());
    }

    synchronized int leases() {
        return leases;
    }
}
