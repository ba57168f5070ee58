package dev.jclaw.mcp;

import dev.jclaw.process.ChildProcess;
import dev.jclaw.process.Cohort;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One server inside a runtime, across restarts: started lazily by its first user (concurrent
 * users share one start, and its failure), restarted lazily after a crash with exponential backoff,
 * given up after {@link #CRASH_LOOP_LIMIT} failures in a row until its config changes.
 * <p>
 * Its state is guarded by {@code this}; the slow parts (starting, stopping) run outside the lock.
 */
final class McpServerSlot {
    private static final Logger log = LoggerFactory.getLogger(McpServerSlot.class);
    /** Failures in a row after which the server is no longer restarted. */
    static final int CRASH_LOOP_LIMIT = 5;
    /** A connection that lived this long before breaking resets the failure count. */
    private static final Duration HEALTHY_LIFETIME = Duration.ofSeconds(60);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    enum State { IDLE, STARTING, READY, BACKOFF, CRASH_LOOP, CLOSED }

    private final McpServerSpec spec;
    private final Cohort cohort;
    private final McpRuntimeManager.Context context;
    private final CompletableFuture<Void> predecessorsGone;
    private State state = State.IDLE;
    private CompletableFuture<McpConnection> starting;
    /** The connection a start is opening (spawned, not yet initialized), or null. Guarded by this. */
    private McpConnection opening;
    private McpConnection connection;
    private long readySinceNanos;
    private long backoffUntilNanos;
    private int failuresInARow;
    private int restarts;
    private String lastError;
    private String lastStderrTail = "";

    /** @param predecessorsGone completes when instances of this server with an older config are dead */
    McpServerSlot(McpServerSpec spec, Cohort cohort, McpRuntimeManager.Context context, CompletableFuture<Void> predecessorsGone) {
        this.spec = spec;
        this.cohort = cohort;
        this.context = context;
        this.predecessorsGone = predecessorsGone;
    }

    McpServerSpec spec() {
        return spec;
    }

    /**
     * The ready connection, starting the server if needed; waits at most {@code limit} for a start
     * in progress.
     *
     * @throws McpException when the server cannot be started now, naming why
     */
    McpConnection ready(Duration limit) {
        CompletableFuture<McpConnection> pending;
        boolean mine = false;
        synchronized (this) {
            switch (state) {
                case READY -> {
                    return connection;
                }
                case STARTING -> pending = starting;
                case BACKOFF -> {
                    long waitNanos = backoffUntilNanos - System.nanoTime();
                    if (waitNanos > 0) {
                        throw new McpException(McpException.Kind.BACKOFF, spec.name(), "MCP server '" + spec.label()
                                + "' is restarting after a failure; next attempt in " + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                                + " ms. Last error: " + lastError);
                    }
                    pending = beginStart();
                    mine = true;
                }
                case IDLE -> {
                    pending = beginStart();
                    mine = true;
                }
                case CRASH_LOOP -> throw new McpException(McpException.Kind.CRASH_LOOP, spec.name(), "MCP server '" + spec.label()
                        + "' failed " + failuresInARow + " times in a row and is not restarted until its config changes. Last error: "
                        + lastError);
                case CLOSED -> throw new McpException(McpException.Kind.CLOSED, spec.name(), "MCP server '" + spec.label() + "' was retired");
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (mine) {
            CompletableFuture<McpConnection> start = pending;
            Thread.ofVirtual().name("jclaw-mcp-start-" + spec.name()).start(() -> start(start));
        }
        return await(pending, limit);
    }

    private CompletableFuture<McpConnection> beginStart() {
        state = State.STARTING;
        starting = new CompletableFuture<>();
        return starting;
    }

    private void start(CompletableFuture<McpConnection> start) {
        McpConnection opened;
        try {
            predecessorsGone.join(); // bounded: closing a slot is bounded by its stop policy
            opened = McpConnection.open(spec, cohort, context, this::broken, this::opening);
        } catch (RuntimeException e) {
            synchronized (this) {
                opening = null;
                if (state == State.CLOSED) {
                    // closed while starting: close() ended this start; the slot stays closed
                } else if (e instanceof McpException mcp && mcp.kind() == McpException.Kind.ADMISSION) {
                    state = State.IDLE; // over the process cap: not the server's fault
                } else {
                    recordFailure(e.getMessage());
                }
                starting = null;
            }
            context.metrics().startFailed();
            start.completeExceptionally(e);
            return;
        }
        boolean keep;
        synchronized (this) {
            opening = null;
            keep = state == State.STARTING;
            if (keep) {
                state = State.READY;
                connection = opened;
                readySinceNanos = System.nanoTime();
                if (restarts++ > 0) context.metrics().restarted();
            }
            starting = null;
        }
        if (!keep) { // closed while starting: this start must leave nothing behind
            opened.close();
            start.completeExceptionally(new McpException(McpException.Kind.CLOSED, spec.name(),
                    "MCP server '" + spec.label() + "' was retired while starting"));
            return;
        }
        log.info("MCP server '{}' ready: {} tools{}", spec.label(), opened.tools().size(),
                opened.child() == null ? "" : " (pid " + opened.child().pid() + ")");
        start.complete(opened);
    }

    private McpConnection await(CompletableFuture<McpConnection> pending, Duration limit) {
        try {
            return pending.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new McpException(McpException.Kind.START_FAILED, spec.name(),
                    "MCP server '" + spec.label() + "' was still starting after " + limit.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(McpException.Kind.CANCELLED, spec.name(), "interrupted while MCP server '" + spec.label() + "' started");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof McpException mcp) throw mcp;
            throw new McpException(McpException.Kind.START_FAILED, spec.name(), "MCP server '" + spec.label() + "': " + e.getCause(), e.getCause());
        }
    }

    /** Called by the connection when its server stops answering: the next use restarts it after a backoff. */
    private void broken(McpConnection broken) {
        synchronized (this) {
            if (connection != broken) return;
            connection = null;
            if (System.nanoTime() - readySinceNanos > HEALTHY_LIFETIME.toNanos()) failuresInARow = 0;
            recordFailure(broken.brokenReason());
        }
        ChildProcess child = broken.child();
        if (child != null) lastStderrTail = child.stderrTail();
        log.warn("MCP server '{}' broke: {}", spec.label(), broken.brokenReason());
        context.metrics().crashed();
        Thread.ofVirtual().name("jclaw-mcp-reap-" + spec.name()).start(broken::close); // kills what is left of its tree
    }

    /** Guarded by this. */
    private void recordFailure(String error) {
        lastError = error;
        failuresInARow++;
        if (failuresInARow >= CRASH_LOOP_LIMIT) {
            state = State.CRASH_LOOP;
            log.error("MCP server '{}' failed {} times in a row; not restarting it until its config changes. Last error: {}",
                    spec.label(), failuresInARow, error);
        } else {
            state = State.BACKOFF;
            long backoff = Math.min(MAX_BACKOFF.toNanos(), context.restartBackoff().toNanos() << (failuresInARow - 1));
            backoffUntilNanos = System.nanoTime() + backoff;
        }
    }

    /** Starts the server if needed, then calls one of its tools. */
    McpCall call(String tool, Map<String, Object> arguments, Duration timeout) {
        return ready(spec.connectionTimeout()).call(tool, arguments, timeout == null ? spec.requestTimeout() : timeout);
    }

    /** Its tools if it is running, else none. */
    synchronized List<McpSchema.Tool> tools() {
        return connection == null ? List.of() : connection.tools();
    }

    /** Pings a ready server; a server that does not answer within {@code timeout} is treated as broken. */
    void healthCheck(Duration timeout) {
        McpConnection current;
        synchronized (this) {
            current = state == State.READY ? connection : null;
        }
        if (current != null && !current.ping(timeout)) {
            current.markBroken("did not answer ping within " + timeout.toMillis() + " ms");
        }
    }

    /** Publishes the connection a start is opening, so that close() can end it; one closed already is ended at once. */
    private void opening(McpConnection connection) {
        boolean closed;
        synchronized (this) {
            closed = state == State.CLOSED;
            if (!closed) opening = connection;
        }
        if (closed) connection.close();
    }

    /**
     * Stops the server for good: fails its calls, kills its tree, a starting one's too (its initialize
     * then fails at once). Bounded, idempotent. When it returns, no process of this slot is alive:
     * a reconfigured server's old tree is dead before its successor starts.
     */
    void close() {
        McpConnection toClose;
        McpConnection starting;
        synchronized (this) {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
            toClose = connection;
            connection = null;
            starting = opening;
            opening = null;
        }
        if (toClose != null) toClose.close();
        if (starting != null) starting.close();
    }

    synchronized McpStatus.Server status() {
        ChildProcess child = connection == null ? null : connection.child();
        String tail = child != null ? child.stderrTail() : lastStderrTail;
        return new McpStatus.Server(spec.name(), spec.owner(), spec.transport().toString(), state.name().toLowerCase(),
                child == null ? null : child.pid(), connection == null ? 0 : connection.tools().size(), restarts, failuresInARow,
                lastError, tail.length() > 4096 ? tail.substring(tail.length() - 4096) : tail);
    }
}
