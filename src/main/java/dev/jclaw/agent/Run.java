package dev.jclaw.agent;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ModelSelection;
import dev.jclaw.lane.LaneTimeoutException;
import dev.jclaw.mcp.McpAccess;
import dev.jclaw.mcp.McpLease;
import dev.jclaw.mcp.McpServers;
import dev.jclaw.mcp.McpTool;
import dev.jclaw.mcp.ScopeKey;
import dev.jclaw.policy.EffectiveToolPolicy;
import dev.jclaw.policy.ToolPolicies;
import dev.jclaw.provider.ChatListener;
import dev.jclaw.provider.ChatMessage;
import dev.jclaw.provider.ChatRequest;
import dev.jclaw.provider.ChatResult;
import dev.jclaw.provider.ProviderException;
import dev.jclaw.provider.ToolCall;
import dev.jclaw.provider.ToolSpec;
import dev.jclaw.config.SandboxConfig;
import dev.jclaw.routing.SandboxPolicy;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.TurnOrigin;
import dev.jclaw.session.NewSession;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.TranscriptMessage;
import dev.jclaw.tools.Tool;
import dev.jclaw.tools.ToolContext;
import dev.jclaw.tools.ToolOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One agent run, and the scope of everything it opens.
 *
 * <h2>Design note: the run owns its resources</h2>
 * Whatever a run opens — its lane permits, its MCP lease, the retirement of an ephemeral session's
 * servers — it registers with {@link #own} or {@link #onClose}, and {@link #close()} releases them
 * in reverse order, once, in every exit: a final answer, an error, a timeout, an abort, a thrown
 * exception. The loop runs inside {@code try (this)}, so no caller, entry path or flag can skip it.
 * This is where OpenClaw's leak is made impossible.
 * <p>
 * Every wait is bounded by the run's deadline; an abort interrupts the run's thread (and the
 * threads of its tool calls), which ends whatever wait it is in.
 * <p>
 * The loop: enter the lanes; write the user message; lease the agent's MCP servers; then up to
 * {@code maxTurns} model turns, each followed by its tool calls run concurrently, every message
 * landing in the transcript as it happens; stop at the first turn without tool calls.
 */
final class Run implements AutoCloseable, RunHandle {
    private static final Logger log = LoggerFactory.getLogger(Run.class);
    /** Messages of history sent to the model at most (context management is the model's job past this). */
    private static final int HISTORY_LIMIT = 200;

    private final AgentService service;
    private final RunRequest request;
    private final String runId;
    private final AgentConfig agent;
    private final JClawConfig config;
    private final SessionKey key;
    /** Where the turn comes from; its policy key is the session a sandbox treats the turn as. */
    private final TurnOrigin origin;
    /** Whether this turn's tools must run sandboxed (decided once, from the origin, not from the key alone). */
    private final SandboxPolicy.Decision sandbox;
    private final Instant acceptedAt = Instant.now();
    private final long deadlineNanos;
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicReference<String> abortReason = new AtomicReference<>();
    /** How long interrupted tool calls get to return (an MCP call cancels at once; built-ins wait interruptibly). */
    private static final Duration TOOL_STOP = Duration.ofSeconds(5);
    private final List<String> warnings = new ArrayList<>();
    private volatile Thread thread;
    private int turns;
    private int toolCalls;
    private long inputTokens;
    private long outputTokens;
    private String provider;
    private String model;

    Run(AgentService service, RunRequest request, String runId, JClawConfig config, AgentConfig agent, SessionKey key) {
        this.service = service;
        this.request = request;
        this.runId = runId;
        this.config = config;
        this.agent = agent;
        this.key = key;
        this.origin = request.origin() != null ? request.origin() : TurnOrigin.ofSession(key, config.session().mainKey());
        this.sandbox = SandboxPolicy.decide(agent.sandbox().mode(), key, config.session().mainSessionKey(agent.id()), origin.kind(),
                agent.sandbox().peerInMain() == SandboxConfig.PeerInMain.TRUSTED);
        this.deadlineNanos = System.nanoTime() + request.timeout().toNanos();
    }

    /** Where the turn comes from, with the key sandbox and tool policy treat it as. */
    TurnOrigin origin() {
        return origin;
    }

    /** Whether the turn's tools must run sandboxed, and why. */
    SandboxPolicy.Decision sandbox() {
        return sandbox;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String agentId() {
        return agent.id();
    }

    @Override
    public String sessionKey() {
        return key.toString();
    }

    @Override
    public Instant acceptedAt() {
        return acceptedAt;
    }

    @Override
    public CompletableFuture<RunResult> result() {
        return result;
    }

    @Override
    public boolean abort(String reason) {
        if (result.isDone() || !abortReason.compareAndSet(null, reason == null ? "aborted" : reason)) return false;
        Thread t = thread;
        if (t != null) t.interrupt();
        return true;
    }

    /** The session that spawned this run's session, or null. */
    String spawnedBy() {
        return request.spawnedBy();
    }

    boolean aborted() {
        return abortReason.get() != null;
    }

    /** Registers something this run opened; {@link #close()} closes it. */
    <T extends AutoCloseable> T own(T resource) {
        synchronized (opened) {
            opened.push(resource);
        }
        return resource;
    }

    void onClose(Runnable action) {
        own(action::run);
    }

    /** Closes what the run opened, newest first, each once; failures are logged and do not stop the others. */
    @Override
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (opened) {
                next = opened.poll();
            }
            if (next == null) return;
            try {
                next.close();
            } catch (Exception e) {
                log.warn("run {}: closing {} failed", runId, next, e);
            }
        }
    }

    /** Runs the whole run on the calling thread; completes {@link #result()} after every resource is closed. */
    void execute() {
        thread = Thread.currentThread();
        long started = System.nanoTime();
        emit(RunEvent.LIFECYCLE, Map.of("phase", "start", "startedAt", acceptedAt.toEpochMilli(), "sandbox",
                Map.of("sandboxed", sandbox.sandboxed(), "reason", sandbox.reason(), "policyKey", origin.policyKey().toString())));
        RunResult.Status status;
        String text = "";
        String error = null;
        String stopReason = null;
        try (this) {
            if (aborted()) throw new InterruptedException();
            own(service.lanes().enter(key.toString(), request.lane(), remaining()));
            if (request.ephemeral()) onClose(() -> service.mcp().retire(ScopeKey.session(key.toString())));
            LoopOutcome outcome = loop();
            text = outcome.text();
            stopReason = outcome.stopReason();
            status = RunResult.Status.OK;
        } catch (InterruptedException e) {
            status = aborted() ? RunResult.Status.ABORTED : RunResult.Status.TIMEOUT;
            error = aborted() ? "the run was aborted: " + abortReason.get() : timeoutMessage();
        } catch (RunTimeout | LaneTimeoutException e) {
            status = aborted() ? RunResult.Status.ABORTED : RunResult.Status.TIMEOUT;
            error = aborted() ? "the run was aborted: " + abortReason.get() : timeoutMessage() + " (" + e.getMessage() + ")";
        } catch (ProviderException e) {
            status = switch (e.kind()) {
                case ABORTED -> aborted() ? RunResult.Status.ABORTED : RunResult.Status.TIMEOUT;
                case TIMEOUT -> RunResult.Status.TIMEOUT;
                default -> RunResult.Status.ERROR;
            };
            error = status == RunResult.Status.ABORTED ? "the run was aborted: " + abortReason.get() : e.getMessage();
        } catch (RuntimeException | Error e) { // an Error too: whoever waits on the result must get one
            status = RunResult.Status.ERROR;
            error = "the run failed: " + (e instanceof Error ? e.toString() : e.getMessage());
            if (!aborted()) log.error("run {} of agent {} failed", runId, agent.id(), e);
        }
        if (aborted() && status != RunResult.Status.OK) { // an abort may surface as any failure of what it interrupted
            status = RunResult.Status.ABORTED;
            error = "the run was aborted: " + abortReason.get();
        }
        Thread.interrupted(); // an abort that arrived as the run finished must not leak into the thread's next use
        long durationMillis = (System.nanoTime() - started) / 1_000_000;
        RunResult outcome = new RunResult(runId, agent.id(), key.toString(), status, text, error, stopReason, turns, toolCalls,
                inputTokens, outputTokens, provider, model, durationMillis, warnings);
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("phase", status == RunResult.Status.ERROR ? "error" : "end");
        end.put("status", status.wire());
        end.put("aborted", status == RunResult.Status.ABORTED);
        end.put("endedAt", System.currentTimeMillis());
        if (stopReason != null) end.put("stopReason", stopReason);
        if (error != null) end.put("error", error);
        emit(RunEvent.LIFECYCLE, end);
        result.complete(outcome);
    }

    private record LoopOutcome(String text, String stopReason) {}

    private LoopOutcome loop() throws InterruptedException {
        SessionEntry entry = service.store().getOrCreate(key, newSession());
        if (request.label() != null && entry.label() == null) {
            try {
                entry = service.store().setLabel(key, request.label());
            } catch (RuntimeException e) {
                warnings.add("label \"" + request.label() + "\" not set: " + e.getMessage());
            }
        }
        append(TranscriptMessage.User.text(request.message(), request.provenance()));
        ModelSelection selection = selection(entry);
        // The one policy decision of this run: which built-ins it offers and which MCP servers it starts.
        EffectiveToolPolicy policy = ToolPolicies.resolve(config, agent, selection == null ? null : selection.primary());
        McpAccess access = new McpAccess(policy);
        List<McpTool> mcpTools = List.of();
        McpLease lease = null;
        var servers = McpServers.forAgent(config, agent, access);
        if (!servers.isEmpty()) {
            lease = own(service.mcp().acquire(agent.id(), key.toString(), servers, service.builtins().names()));
            lease.failures().forEach((server, e) -> warnings.add(e.getMessage()));
            mcpTools = lease.tools().stream().filter(t -> access.allows(t.exposedName())).toList();
        }
        Map<String, Tool> builtins = new LinkedHashMap<>();
        for (Tool tool : service.builtins().allowedBy(policy)) builtins.put(tool.name(), tool);
        List<ToolSpec> specs = new ArrayList<>();
        builtins.values().forEach(t -> specs.add(new ToolSpec(t.name(), t.description(), t.inputSchema())));
        Map<String, McpTool> byName = new LinkedHashMap<>();
        for (McpTool t : mcpTools) {
            byName.put(t.exposedName(), t);
            specs.add(new ToolSpec(t.exposedName(), t.description(), t.inputSchema()));
        }
        String system = SystemPrompt.build(agent, key.toString(), request.extraSystemPrompt());
        List<ChatMessage> messages = new ArrayList<>(Conversation.fromTranscript(service.store().history(key, HISTORY_LIMIT).entries()));
        String lastText = "";
        for (turns = 1; turns <= request.maxTurns(); turns++) {
            ChatResult reply = service.models().chat(selection, new ChatRequest(system, messages, specs), streaming(), remaining());
            provider = reply.provider();
            model = reply.model();
            inputTokens += reply.usage().inputTokens();
            outputTokens += reply.usage().outputTokens();
            append(Conversation.assistant(reply));
            service.store().addUsage(key, reply.usage().inputTokens(), reply.usage().outputTokens(), reply.usage().inputTokens());
            lastText = reply.text();
            messages.add(new ChatMessage.Assistant(reply.text(), reply.toolCalls()));
            if (reply.toolCalls().isEmpty()) return new LoopOutcome(reply.text(), reply.stopReason());
            messages.addAll(callTools(reply.toolCalls(), builtins, byName, lease));
        }
        turns = request.maxTurns();
        warnings.add("stopped after " + request.maxTurns() + " model turns (the tool loop did not end)");
        return new LoopOutcome(lastText, "max_turns");
    }

    private NewSession newSession() {
        NewSession session = NewSession.of(key, config.session().mainKey(), agent.workspace() == null ? null : agent.workspace().toString());
        if (request.spawnedBy() != null) session = session.withSpawnedBy(SessionKey.parse(request.spawnedBy()));
        return session;
    }

    private ModelSelection selection(SessionEntry entry) {
        if (request.model() != null) {
            ModelRef ref = ModelRef.parse(request.model());
            if (ref == null) throw new IllegalArgumentException("model \"" + request.model() + "\" is not of the form provider/model");
            return new ModelSelection(ref, agent.model() == null ? List.of() : agent.model().fallbacks());
        }
        if (entry.providerOverride() != null && entry.modelOverride() != null) {
            return new ModelSelection(new ModelRef(entry.providerOverride(), entry.modelOverride()),
                    agent.model() == null ? List.of() : agent.model().fallbacks());
        }
        return agent.model();
    }

    private ChatListener streaming() {
        StringBuilder text = new StringBuilder();
        return new ChatListener() {
            @Override
            public void onAttempt(String provider, String model) {
                text.setLength(0); // a retried or fallback attempt streams its text from the start
            }

            @Override
            public void onTextDelta(String delta) {
                text.append(delta);
                emit(RunEvent.ASSISTANT, Map.of("delta", delta, "text", text.toString()));
            }
        };
    }

    /**
     * Runs one turn's tool calls concurrently, each bounded by the run's deadline; results in call order.
     * The calls run on an executor of their own that this method shuts down and waits for (bounded),
     * so no tool thread outlives the step, and none writes to the transcript after the run ended.
     * An abort interrupts the run's thread, waiting here, and so, through the shutdown, every call.
     */
    private List<ChatMessage> callTools(List<ToolCall> calls, Map<String, Tool> builtins, Map<String, McpTool> mcp, McpLease lease)
            throws InterruptedException {
        toolCalls += calls.size();
        ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("run-" + runId + "-tool-", 0).factory());
        try {
            List<Future<ChatMessage.ToolResult>> pending = new ArrayList<>();
            for (ToolCall call : calls) pending.add(workers.submit(() -> callTool(call, builtins, mcp, lease)));
            List<ChatMessage> results = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                try {
                    results.add(pending.get(i).get(remaining().toNanos(), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    results.add(new ChatMessage.ToolResult(calls.get(i).id(), calls.get(i).name(), "tool failed: " + e.getCause(), true));
                }
            }
            return results;
        } catch (TimeoutException e) {
            throw new RunTimeout("tool calls still running at the deadline");
        } finally {
            workers.shutdownNow();
            try {
                if (!workers.awaitTermination(TOOL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("run {}: tool calls still running {} s after they were interrupted", runId, TOOL_STOP.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ChatMessage.ToolResult callTool(ToolCall call, Map<String, Tool> builtins, Map<String, McpTool> mcp, McpLease lease) {
        emit(RunEvent.TOOL, Map.of("phase", "start", "name", call.name(), "toolCallId", call.id()));
        Map<String, Object> arguments = Conversation.arguments(call.arguments());
        ToolOutput output;
        if (arguments.containsKey("_raw") && arguments.size() == 1) {
            output = ToolOutput.error("the arguments are not a JSON object: " + call.arguments());
        } else if (builtins.containsKey(call.name())) {
            try {
                output = builtins.get(call.name()).call(new ToolContext(runId, agent.id(), key, deadline(), service.services()), arguments);
            } catch (InterruptedException e) {
                output = ToolOutput.error("the tool call was interrupted: the run is ending");
            } catch (IllegalArgumentException e) { // a wrong argument, named in the message: the model can correct it
                output = ToolOutput.error(e.getMessage());
            } catch (RuntimeException e) {
                log.warn("run {}: tool {} failed", runId, call.name(), e);
                output = ToolOutput.error(call.name() + " failed: " + e);
            }
        } else if (mcp.containsKey(call.name())) {
            output = callMcp(call.name(), arguments, lease);
        } else {
            output = ToolOutput.error("no tool named '" + call.name() + "' is available to this agent");
        }
        ChatMessage.ToolResult result = new ChatMessage.ToolResult(call.id(), call.name(), output.text(), output.isError());
        append(new TranscriptMessage.ToolResult(call.id(), call.name(), List.of(new TranscriptMessage.Content.Text(output.text())), output.isError()));
        emit(RunEvent.TOOL, Map.of("phase", "end", "name", call.name(), "toolCallId", call.id(), "isError", output.isError()));
        return result;
    }

    private ToolOutput callMcp(String name, Map<String, Object> arguments, McpLease lease) {
        try {
            return McpResults.await(lease.call(name, arguments, null), remaining(), "the tool call was cancelled: the run reached its deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolOutput.error("the tool call was cancelled: the run is ending");
        }
    }

    /** Transcript appends of one run are serialised (its tool calls finish on several threads). */
    private void append(TranscriptMessage message) {
        synchronized (opened) {
            service.store().append(key, message);
        }
    }

    /** Numbers and delivers an event as one step, so concurrent tool calls cannot deliver seq 6 before 5. */
    synchronized void emit(String stream, Map<String, Object> data) {
        service.emit(request.listener(), new RunEvent(runId, agent.id(), key.toString(), seq.incrementAndGet(), stream, data,
                System.currentTimeMillis()));
    }

    private Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) throw new RunTimeout("the run's " + request.timeout().toSeconds() + " s are used up");
        return Duration.ofNanos(left);
    }

    private Instant deadline() {
        return Instant.now().plusNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private String timeoutMessage() {
        return "the run did not finish within " + request.timeout().toSeconds() + " s";
    }

    /** The run's deadline passed. */
    static final class RunTimeout extends RuntimeException {
        RunTimeout(String message) {
            super(message);
        }
    }
}
