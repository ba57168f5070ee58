package dev.jclaw.mcp;

import dev.jclaw.config.McpServerConfig.Scope;
import dev.jclaw.process.ProcessSupervisor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides, in one place, how long every MCP server lives.
 *
 * <ul>
 * <li>A run calls {@link #acquire} and gets an {@link McpLease} for the servers its agent's policy
 * reaches, each in the runtime of its scope (session, agent or gateway). Servers start lazily, at the
 * first lease that needs them; concurrent acquires share one start.</li>
 * <li>Runtimes retire when their session ends ({@link #retire}), when a session-scoped runtime idles
 * past {@code sessionIdleTtl}, on {@link #close()}; a retired runtime is disposed when its last
 * lease and call are gone. A reload ({@link #reconfigure}) retires only servers whose config changed.</li>
 * <li>Caps on live runtimes and MCP processes turn excess into a clear admission error; nothing
 * already running is touched.</li>
 * </ul>
 */
public final class McpRuntimeManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpRuntimeManager.class);
    /** A server that does not answer a health ping within this is treated as crashed. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param maxRuntimes         live runtimes at most (OpenClaw: 256)
     * @param maxProcesses        live stdio MCP servers at most
     * @param sessionIdleTtl      a session runtime unused this long is retired; null or zero: never
     * @param sweepInterval       how often idleness is checked
     * @param healthCheckInterval how often ready servers are pinged; null or zero: never
     * @param restartBackoff      the wait after a server's first failure; doubles per failure in a row, up to 30 s
     */
    public record Limits(int maxRuntimes, int maxProcesses, Duration sessionIdleTtl, Duration sweepInterval,
                         Duration healthCheckInterval, Duration restartBackoff) {
        public static final Limits DEFAULT = new Limits(256, 512, null, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(1));

        public Limits withSessionIdleTtl(Duration ttl) {
            return new Limits(maxRuntimes, maxProcesses, ttl, sweepInterval, healthCheckInterval, restartBackoff);
        }

        public Limits withCaps(int maxRuntimes, int maxProcesses) {
            return new Limits(maxRuntimes, maxProcesses, sessionIdleTtl, sweepInterval, healthCheckInterval, restartBackoff);
        }

        public Limits withSweepInterval(Duration interval) {
            return new Limits(maxRuntimes, maxProcesses, sessionIdleTtl, interval, healthCheckInterval, restartBackoff);
        }

        public Limits withRestartBackoff(Duration backoff) {
            return new Limits(maxRuntimes, maxProcesses, sessionIdleTtl, sweepInterval, healthCheckInterval, backoff);
        }
    }

    private enum State { RUNNING, CLOSED }

    private final ProcessSupervisor supervisor;
    private final Map<ScopeKey, McpRuntime> runtimes = new ConcurrentHashMap<>();
    private final AtomicReference<Limits> limits;
    private final AtomicInteger processes = new AtomicInteger();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final ScheduledExecutorService timer;
    private final Metrics metrics;
    private final Context context;

    public McpRuntimeManager(ProcessSupervisor supervisor, Limits limits, MeterRegistry registry) {
        this.supervisor = supervisor;
        this.limits = new AtomicReference<>(limits);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofVirtual().name("jclaw-mcp-timer").unstarted(r));
        this.metrics = new Metrics(registry, runtimes::size, processes::get);
        this.context = new Context();
        timer.scheduleWithFixedDelay(this::sweepIdle, limits.sweepInterval().toMillis(), limits.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
        Duration health = limits.healthCheckInterval();
        if (health != null && !health.isZero()) {
            timer.scheduleWithFixedDelay(this::pingAll, health.toMillis(), health.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Leases the runtimes a run needs and starts (or reuses) its servers, concurrently, each within
     * its connection timeout. A server that cannot start is reported in {@link McpLease#failures()};
     * the run goes on without its tools.
     *
     * @param reservedNames built-in tool names the MCP tools must not take
     * @throws McpException of kind ADMISSION when a new runtime would exceed the cap (nothing is held then)
     */
    public McpLease acquire(String agentId, String sessionKey, Collection<McpServerSpec> servers, Set<String> reservedNames) {
        requireRunning();
        Map<ScopeKey, List<McpServerSpec>> byScope = new LinkedHashMap<>();
        for (McpServerSpec spec : servers) {
            byScope.computeIfAbsent(ScopeKey.of(spec.scope(), agentId, sessionKey), k -> new ArrayList<>()).add(spec);
        }
        List<McpRuntime> leased = new ArrayList<>();
        try {
            List<Placed> placed = new ArrayList<>();
            for (Map.Entry<ScopeKey, List<McpServerSpec>> entry : byScope.entrySet()) {
                McpRuntime runtime = lease(entry.getKey());
                leased.add(runtime);
                for (McpServerSpec spec : entry.getValue()) placed.add(new Placed(spec, runtime, runtime.slot(spec)));
            }
            Map<String, McpException> failures = startAll(placed);
            return new McpLease(leased, bind(placed, reservedNames), failures);
        } catch (RuntimeException e) {
            leased.forEach(McpRuntime::release);
            throw e;
        }
    }

    /** A server of a lease, in its runtime. */
    private record Placed(McpServerSpec spec, McpRuntime runtime, McpServerSlot slot) {}

    private Map<String, McpException> startAll(List<Placed> placed) {
        Map<String, McpException> failures = new ConcurrentHashMap<>();
        List<Thread> starts = new ArrayList<>();
        for (Placed p : placed) {
            starts.add(Thread.ofVirtual().name("jclaw-mcp-acquire-" + p.spec().name()).start(() -> {
                try {
                    p.slot().ready(p.spec().connectionTimeout().plusSeconds(5));
                } catch (McpException e) {
                    failures.put(p.spec().name(), e);
                }
            }));
        }
        for (Thread start : starts) {
            try {
                start.join(); // each start is bounded by its connection timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new McpException(McpException.Kind.CANCELLED, null, "interrupted while starting MCP servers");
            }
        }
        return failures;
    }

    private static Map<String, McpLease.Binding> bind(List<Placed> placed, Set<String> reservedNames) {
        List<ToolNames.Candidate> candidates = new ArrayList<>();
        Map<ToolNames.Candidate, McpSchema.Tool> tools = new HashMap<>();
        Map<ToolNames.Candidate, Placed> owners = new HashMap<>();
        for (Placed p : placed) {
            for (McpSchema.Tool tool : p.slot().tools()) {
                ToolNames.Candidate candidate = new ToolNames.Candidate(p.spec().name(), tool.name());
                candidates.add(candidate);
                tools.put(candidate, tool);
                owners.put(candidate, p);
            }
        }
        Map<String, McpLease.Binding> bindings = new LinkedHashMap<>();
        ToolNames.assign(candidates, reservedNames).forEach((exposed, candidate) -> {
            Placed p = owners.get(candidate);
            McpSchema.Tool tool = tools.get(candidate);
            bindings.put(exposed, new McpLease.Binding(new McpTool(exposed, p.spec().name(), tool.name(), tool.description(),
                    tool.inputSchema()), p.runtime(), p.slot()));
        });
        return bindings;
    }

    /** A lease on the runtime of {@code key}: a retiring runtime is waited out, then a fresh one made. */
    private McpRuntime lease(ScopeKey key) {
        for (int attempt = 0; ; attempt++) {
            requireRunning();
            McpRuntime runtime = runtimes.compute(key, (k, existing) -> existing != null ? existing : create(k));
            if (runtime.tryLease()) {
                if (state.get() == State.RUNNING) return runtime;
                // close() began after the check above and may have missed this runtime: it goes now, unused
                runtime.release();
                runtime.dispose();
                requireRunning();
            }
            try {
                runtime.disposed().get(McpRuntime.DISPOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new McpException(McpException.Kind.CLOSED, null, "MCP runtime " + key + " did not finish retiring within "
                        + McpRuntime.DISPOSE_WAIT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new McpException(McpException.Kind.CANCELLED, null, "interrupted while MCP runtime " + key + " retired");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            runtimes.remove(key, runtime);
        }
    }

    private McpRuntime create(ScopeKey key) {
        int max = limits.get().maxRuntimes();
        if (runtimes.size() >= max) {
            metrics.rejected.increment();
            throw new McpException(McpException.Kind.ADMISSION, null, "cannot open an MCP runtime for " + key + ": " + max
                    + " runtimes are live, the cap (mcp.maxRuntimes). Close sessions or raise the cap.");
        }
        return new McpRuntime(key, supervisor.openCohort("mcp:" + key), context);
    }

    /**
     * Retires the runtime of {@code key} (its session ended, was reset or deleted): it is disposed
     * when its last lease is released and its last call has ended.
     */
    public void retire(ScopeKey key) {
        McpRuntime runtime = runtimes.get(key);
        if (runtime != null) runtime.retire();
    }

    /** Retires and waits (at most {@code limit}) for the runtime's processes to be gone; false on timeout. */
    public boolean retireAndWait(ScopeKey key, Duration limit) {
        McpRuntime runtime = runtimes.get(key);
        if (runtime == null) return true;
        runtime.retire();
        try {
            runtime.disposed().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies a reloaded config: every running server whose config is no longer among
     * {@code configured} (changed or removed) is closed now, its tree dead before this returns.
     * Unchanged servers keep running.
     */
    public void reconfigure(Collection<McpServerSpec> configured, Limits newLimits) {
        Set<String> current = new java.util.HashSet<>();
        for (McpServerSpec spec : configured) current.add(spec.name() + "#" + spec.fingerprint());
        if (newLimits != null) limits.set(newLimits);
        for (McpRuntime runtime : runtimes.values()) {
            runtime.retireServers(spec -> !current.contains(spec.name() + "#" + spec.fingerprint()));
        }
    }

    public List<McpStatus.Runtime> status() {
        return runtimes.values().stream().map(McpRuntime::status)
                .sorted(java.util.Comparator.comparing(McpStatus.Runtime::scopeKey)).toList();
    }

    /** Live stdio MCP servers now. */
    public int liveProcesses() {
        return processes.get();
    }

    public int liveRuntimes() {
        return runtimes.size();
    }

    private void sweepIdle() {
        try {
            Duration ttl = limits.get().sessionIdleTtl();
            if (ttl == null || ttl.isZero()) return;
            for (McpRuntime runtime : runtimes.values()) {
                if (runtime.key().scope() == Scope.SESSION) runtime.retireIfIdle(ttl);
            }
        } catch (RuntimeException e) {
            log.warn("MCP idle sweep failed", e);
        }
    }

    /** Pings every ready server (each on its own virtual thread, each bounded): a silent one counts as crashed. */
    private void pingAll() {
        for (McpRuntime runtime : runtimes.values()) {
            Thread.ofVirtual().name("jclaw-mcp-ping").start(() -> runtime.healthCheck(PING_TIMEOUT));
        }
    }

    private void requireRunning() {
        if (state.get() != State.RUNNING) throw new McpException(McpException.Kind.CLOSED, null, "the MCP runtime manager is closed");
    }

    /**
     * Disposes every runtime concurrently: calls in flight are failed, every tree goes through its
     * bounded stop sequence. Returns when all are gone; idempotent.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.RUNNING, State.CLOSED)) return;
        timer.shutdownNow();
        List<Thread> disposing = new ArrayList<>();
        for (McpRuntime runtime : List.copyOf(runtimes.values())) {
            disposing.add(Thread.ofVirtual().name("jclaw-mcp-dispose").start(runtime::dispose));
        }
        for (Thread thread : disposing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What runtimes, slots and connections need from their manager. */
    final class Context {
        ScheduledExecutorService timer() {
            return timer;
        }

        Metrics metrics() {
            return metrics;
        }

        /** Admits one more stdio server or throws the admission error; released by the connection's close. */
        void reserveProcess(McpServerSpec spec) {
            int max = limits.get().maxProcesses();
            while (true) {
                int now = processes.get();
                if (now >= max) {
                    metrics.rejected.increment();
                    throw new McpException(McpException.Kind.ADMISSION, spec.name(), "cannot start MCP server '" + spec.label()
                            + "': " + max + " MCP processes are live, the cap (mcp.maxProcesses)");
                }
                if (processes.compareAndSet(now, now + 1)) return;
            }
        }

        void releaseProcess() {
            processes.decrementAndGet();
        }

        Duration restartBackoff() {
            return limits.get().restartBackoff();
        }

        void toolsChanged(McpServerSpec spec) {
            log.info("MCP server '{}' changed its tool list", spec.label());
        }

        void disposed(McpRuntime runtime) {
            runtimes.remove(runtime.key(), runtime);
        }
    }

    /** Meters: live runtimes and processes, starts that failed, crashes, restarts, admissions refused. */
    static final class Metrics {
        private final Counter startFailed;
        private final Counter crashed;
        private final Counter restarted;
        final Counter rejected;

        Metrics(MeterRegistry registry, java.util.function.Supplier<Number> runtimes, java.util.function.Supplier<Number> processes) {
            Gauge.builder("jclaw.mcp.runtimes.live", runtimes).description("MCP runtimes alive").register(registry);
            Gauge.builder("jclaw.mcp.processes.live", processes).description("stdio MCP servers alive").register(registry);
            startFailed = Counter.builder("jclaw.mcp.starts.failed").description("MCP server starts that failed").register(registry);
            crashed = Counter.builder("jclaw.mcp.crashes").description("MCP servers that broke while in use").register(registry);
            restarted = Counter.builder("jclaw.mcp.restarts").description("MCP servers started again after a failure").register(registry);
            rejected = Counter.builder("jclaw.mcp.admissions.refused").description("runtimes or servers refused by a cap").register(registry);
        }

        void startFailed() { startFailed.increment(); }

        void crashed() { crashed.increment(); }

        void restarted() { restarted.increment(); }
    }
}
