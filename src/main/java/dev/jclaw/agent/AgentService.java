package dev.jclaw.agent;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.policy.EffectiveToolPolicy;
import dev.jclaw.lane.Lanes;
import dev.jclaw.mcp.McpAccess;
import dev.jclaw.mcp.McpLease;
import dev.jclaw.mcp.McpRuntimeManager;
import dev.jclaw.mcp.McpServers;
import dev.jclaw.mcp.McpTool;
import dev.jclaw.provider.ModelClient;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionStore;
import dev.jclaw.session.SessionReader;
import dev.jclaw.tools.AgentServices;
import dev.jclaw.tools.TurnHandle;
import dev.jclaw.tools.TurnRequest;
import dev.jclaw.tools.BuiltinTools;
import dev.jclaw.tools.Tool;
import dev.jclaw.tools.ToolContext;
import dev.jclaw.tools.ToolOutput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Starts agent runs and knows the ones in progress. Every entry path — the CLI, a gateway request,
 * an agent-to-agent step, a subagent, a cron job — comes through {@link #start}, and every run is a
 * {@link Run}: a scope that closes what it opened however it ends. Runs execute on virtual threads.
 */
public final class AgentService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentService.class);
    /** How long {@link #close()} waits for aborted runs to close their resources. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /** How long a reset or delete waits for the session's aborted runs (OpenClaw: 15 s). */
    private static final Duration SESSION_END_WAIT = Duration.ofSeconds(15);

    private final Supplier<JClawConfig> config;
    private final SessionStore store;
    private final McpRuntimeManager mcp;
    private final ModelClient models;
    private final Lanes lanes;
    private final BuiltinTools builtins;
    private final Map<String, Run> active = new ConcurrentHashMap<>();
    private final List<RunEventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AgentServices services = new Services();
    /** Sub-agent starts are counted and made under this lock (spawns are rare; a start only registers a run). */
    private final Object childStarts = new Object();
    private final MeterRegistry registry;
    private final Timer runTimer;

    /** @param config the config in effect, read at the start of each run (hot reload applies to the next run) */
    public AgentService(Supplier<JClawConfig> config, SessionStore store, McpRuntimeManager mcp, ModelClient models, Lanes lanes,
                        MeterRegistry registry) {
        this.config = config;
        this.store = store;
        this.mcp = mcp;
        this.models = models;
        this.lanes = lanes;
        this.builtins = new BuiltinTools();
        this.registry = registry;
        this.runTimer = Timer.builder("jclaw.runs.duration").description("Agent run duration").register(registry);
        Gauge.builder("jclaw.runs.active", active::size).description("Agent runs in progress or queued").register(registry);
    }

    /**
     * Accepts a run and starts it on its own virtual thread.
     *
     * @throws IllegalArgumentException for an unknown agent or a malformed session key, naming it
     * @throws IllegalStateException once the service is closed
     */
    public RunHandle start(RunRequest request) {
        if (closed.get()) throw new IllegalStateException("the agent service is shutting down");
        JClawConfig current = config.get();
        AgentConfig agent = resolveAgent(current, request);
        SessionKey key = resolveSession(current, agent, request.sessionKey());
        String runId = UUID.randomUUID().toString();
        Run run = new Run(this, request, runId, current, agent, key);
        active.put(runId, run);
        // A close() that began between the check above and the put did not see this run: it ends at once.
        if (closed.get()) run.abort("the agent service is shutting down");
        Thread.ofVirtual().name("run-" + runId).start(() -> {
            try {
                run.execute();
            } finally {
                active.remove(runId);
                run.result().thenAccept(result -> {
                    runTimer.record(result.durationMillis(), TimeUnit.MILLISECONDS);
                    Counter.builder("jclaw.runs").tag("status", result.status().wire()).register(registry).increment();
                });
            }
        });
        return run;
    }

    /** Starts a run and waits for its end (bounded by the run's own timeout). */
    public RunResult run(RunRequest request) throws InterruptedException {
        RunHandle handle = start(request);
        try {
            return handle.result().get(request.timeout().plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            handle.abort("the caller stopped waiting");
            throw new IllegalStateException("run " + handle.runId() + " did not end: " + e, e);
        } catch (InterruptedException e) {
            handle.abort("the caller was interrupted");
            throw e;
        }
    }

    public Optional<RunHandle> find(String runId) {
        return Optional.ofNullable(active.get(runId));
    }

    /** Runs in progress or queued. */
    public List<RunHandle> active() {
        return List.copyOf(active.values());
    }

    /**
     * Resets a session: aborts its runs and waits (≤ 15 s, as OpenClaw) for them to close, retires its
     * session-scoped MCP runtime (gone after its last lease), then gives it a new session id with the
     * old transcript archived.
     */
    public SessionEntry resetSession(SessionKey key) throws InterruptedException {
        endRuns(key, "the session was reset");
        return store.reset(key);
    }

    /** Deletes a session the same way; returns whether it existed. */
    public boolean deleteSession(SessionKey key, boolean removeTranscript) throws InterruptedException {
        endRuns(key, "the session was deleted");
        return store.delete(key, removeTranscript);
    }

    private void endRuns(SessionKey key, String reason) throws InterruptedException {
        List<Run> runs = active.values().stream().filter(r -> r.sessionKey().equals(key.toString())).toList();
        runs.forEach(run -> run.abort(reason));
        long deadline = System.nanoTime() + SESSION_END_WAIT.toNanos();
        for (Run run : runs) {
            try {
                run.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("run {} of session {} did not end within {} s", run.runId(), key, SESSION_END_WAIT.toSeconds());
            }
        }
        mcp.retire(dev.jclaw.mcp.ScopeKey.session(key.toString()));
    }

    /**
     * Calls one tool outside any model turn (HTTP {@code /tools/invoke}), as a run of {@code agentId}
     * in {@code sessionKey} would: the agent's allowed built-ins, then the MCP tools its policy reaches,
     * leased from the session's runtimes for the call only.
     *
     * @param agentId    the agent, or null for the one the session key names, else the default agent
     * @param sessionKey the session as a request names it, or null for the agent's main session
     * @throws IllegalArgumentException for an unknown agent or a malformed session key
     * @throws java.util.NoSuchElementException when the agent has no tool of that name (the message lists those it has)
     */
    public ToolOutput invokeTool(String agentId, String sessionKey, String toolName, Map<String, Object> arguments, Duration timeout)
            throws InterruptedException {
        if (closed.get()) throw new IllegalStateException("the agent service is shutting down");
        JClawConfig current = config.get();
        AgentConfig agent = resolveAgent(current, RunRequest.of(agentId, "").withSessionKey(sessionKey));
        SessionKey key = resolveSession(current, agent, sessionKey);
        Instant deadline = Instant.now().plus(timeout);
        EffectiveToolPolicy policy = toolPolicy(current, agent, key);
        List<Tool> allowed = builtins.allowedBy(policy);
        for (Tool tool : allowed) {
            if (tool.name().equals(toolName)) {
                return tool.call(new ToolContext("tool-invoke-" + UUID.randomUUID(), agent.id(), key, deadline, services), arguments);
            }
        }
        McpAccess access = new McpAccess(policy);
        var servers = McpServers.forAgent(current, agent, access);
        List<String> available = new ArrayList<>(allowed.stream().map(Tool::name).toList());
        if (!servers.isEmpty()) {
            try (McpLease lease = mcp.acquire(agent.id(), key.toString(), servers, builtins.names())) {
                for (McpTool tool : lease.tools()) {
                    if (!access.allows(tool.exposedName())) continue;
                    if (!tool.exposedName().equals(toolName)) {
                        available.add(tool.exposedName());
                        continue;
                    }
                    // A second past the call's own timeout: the call's timeout answers first, with its own message.
                    return McpResults.await(lease.call(toolName, arguments, timeout), timeout.plusSeconds(1),
                            "the tool call did not finish within " + timeout.toSeconds() + " s");
                }
                lease.failures().forEach((server, e) -> available.add("(" + server + " failed to start: " + e.getMessage() + ")"));
            }
        }
        throw new java.util.NoSuchElementException("agent '" + agent.id() + "' has no tool '" + toolName + "' (available: " + available + ")");
    }

    /** The tool policy a run of {@code agent} in {@code key} gets ({@link EffectiveTools#policy}). */
    public EffectiveToolPolicy toolPolicy(JClawConfig current, AgentConfig agent, SessionKey key) {
        return EffectiveTools.policy(current, agent, key, store);
    }

    /**
     * What {@code tools.effective} shows for a run of {@code agentId} in {@code sessionKey}.
     *
     * @throws IllegalArgumentException for an unknown agent or a malformed session key
     */
    public EffectiveTools effectiveTools(String agentId, String sessionKey) {
        return EffectiveTools.compute(config.get(), store, builtins, agentId, sessionKey);
    }

    public void addListener(RunEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(RunEventListener listener) {
        listeners.remove(listener);
    }

    /** The agent a request means: the one named, the one its session key names, or the default agent. */
    static AgentConfig resolveAgent(JClawConfig current, RunRequest request) {
        String fromKey = null;
        if (request.sessionKey() != null && request.sessionKey().startsWith("agent:")) {
            fromKey = SessionKey.parse(request.sessionKey()).agentId();
        }
        String id = request.agentId() != null ? request.agentId() : fromKey != null ? fromKey : current.defaultAgentId();
        if (id == null) {
            throw new IllegalArgumentException("no agent given and none is the default (agents.ownership is explicit): name an agent");
        }
        if (fromKey != null && !fromKey.equals(dev.jclaw.routing.AgentId.normalize(id))) {
            throw new IllegalArgumentException("session key " + request.sessionKey() + " belongs to agent '" + fromKey + "', not '" + id + "'");
        }
        return current.agent(dev.jclaw.routing.AgentId.normalize(id)).orElseThrow(() -> new IllegalArgumentException(
                "unknown agent '" + id + "' (configured: " + current.agents().stream().map(AgentConfig::id).toList() + ")"));
    }

    static SessionKey resolveSession(JClawConfig current, AgentConfig agent, String requested) {
        SessionKey main = current.session().mainSessionKey(agent.id());
        if (requested == null || requested.isBlank()) return main;
        return SessionKey.scoped(requested, agent.id(), main);
    }

    void emit(RunEventListener own, RunEvent event) {
        if (own != null) deliver(own, event);
        for (RunEventListener listener : listeners) deliver(listener, event);
    }

    private static void deliver(RunEventListener listener, RunEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("a run event listener failed on {} event of run {}", event.stream(), event.runId(), e);
        }
    }

    Lanes lanes() {
        return lanes;
    }

    McpRuntimeManager mcp() {
        return mcp;
    }

    SessionStore store() {
        return store;
    }

    ModelClient models() {
        return models;
    }

    BuiltinTools builtins() {
        return builtins;
    }

    AgentServices services() {
        return services;
    }

    /** Aborts every run and waits (bounded) until each has closed what it opened; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        List<Run> running = List.copyOf(active.values());
        running.forEach(run -> run.abort("the gateway is shutting down"));
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Run run : running) {
            try {
                run.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                log.warn("run {} did not end within {} s of the shutdown", run.runId(), CLOSE_WAIT.toSeconds());
            }
        }
    }

    /** What built-in tools may ask of this layer. */
    private final class Services implements AgentServices {
        @Override
        public JClawConfig config() {
            return config.get();
        }

        @Override
        public SessionReader sessions() {
            return store;
        }

        @Override
        public TurnHandle startTurn(TurnRequest turn) {
            String lane = switch (turn.kind()) {
                case NESTED -> Lanes.nested(turn.sessionKey().toString());
                case SUBAGENT -> Lanes.SUBAGENT;
            };
            RunHandle run = start(new RunRequest(turn.agentId(), turn.sessionKey().toString(), turn.message(), lane,
                    turn.extraSystemPrompt(), turn.timeout(), turn.ephemeral(),
                    turn.spawnedBy() == null ? null : turn.spawnedBy().toString(), null, 0, turn.provenance(), null, turn.label(), null));
            return new TurnHandle() {
                private final java.util.concurrent.CompletableFuture<TurnOutcome> outcome = run.result()
                        .thenApply(r -> new TurnOutcome(r.status().wire(), r.text(), r.error()));

                @Override
                public String runId() {
                    return run.runId();
                }

                @Override
                public String sessionKey() {
                    return run.sessionKey();
                }

                @Override
                public java.util.concurrent.CompletableFuture<TurnOutcome> outcome() {
                    return outcome;
                }

                @Override
                public boolean abort(String reason) {
                    return run.abort(reason);
                }
            };
        }

        @Override
        public TurnHandle startChildTurn(TurnRequest turn, int max) {
            synchronized (childStarts) {
                if (activeChildren(turn.spawnedBy()) >= max) return null;
                return startTurn(turn);
            }
        }

        @Override
        public int activeChildren(SessionKey parent) {
            String key = parent.toString();
            return (int) active.values().stream().filter(run -> key.equals(run.spawnedBy())).count();
        }

        @Override
        public void deleteSession(SessionKey key) throws InterruptedException {
            AgentService.this.deleteSession(key, false);
        }

        @Override
        public Map<String, Object> sessionStatus(SessionKey key) {
            Map<String, Object> status = new LinkedHashMap<>();
            Optional<SessionEntry> entry = store.get(key);
            status.put("sessionKey", key.toString());
            entry.ifPresent(e -> {
                status.put("agentId", e.agentId());
                status.put("sessionId", e.sessionId());
                status.put("kind", e.kind().toString());
                status.put("startedAt", e.startedAt().toString());
                status.put("updatedAt", e.updatedAt().toString());
                status.put("inputTokens", e.tokens().input());
                status.put("outputTokens", e.tokens().output());
                if (e.label() != null) status.put("label", e.label());
                if (e.spawnedBy() != null) status.put("spawnedBy", e.spawnedBy());
                if (e.modelOverride() != null) status.put("model", e.providerOverride() + "/" + e.modelOverride());
            });
            return status;
        }
    }
}
