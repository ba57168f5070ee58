package dev.jclaw.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.config.McpServerConfig.Transport;
import dev.jclaw.process.ChildProcess;
import dev.jclaw.process.Cohort;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One initialized session with one MCP server: the SDK's async client over our stdio transport (or
 * the SDK's HTTP transports), plus what the SDK leaves to its user: a bound on initialize that also
 * holds while the server dies, per-call timeouts, {@code notifications/cancelled}, and failing every
 * in-flight call the moment the server can no longer answer.
 * <p>
 * State goes CONNECTING → READY → BROKEN | CLOSED by compare-and-set; {@link #close()} is the one
 * way out and runs once.
 */
final class McpConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpConnection.class);
    static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());
    private static final String VERSION = String.valueOf(McpConnection.class.getPackage().getImplementationVersion());
    /** How long a broken stdio server gets to report its exit status and stderr before calls fail with what we have. */
    private static final long EXIT_REPORT_WAIT_MILLIS = 100;
    private static final AtomicLong TOKENS = new AtomicLong();

    enum State { CONNECTING, READY, BROKEN, CLOSED }

    private final McpServerSpec spec;
    private final McpRuntimeManager.Context context;
    private final ScheduledExecutorService timer;
    private final Consumer<McpConnection> onBroken;
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);
    private final CompletableFuture<Void> brokenSignal = new CompletableFuture<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Object> requestIds = new ConcurrentHashMap<>();
    private final McpClientTransport transport;
    private final StdioTransport stdio;
    private final McpAsyncClient client;
    private volatile String brokenReason;
    private volatile List<McpSchema.Tool> tools = List.of();

    private McpConnection(McpServerSpec spec, Cohort cohort, McpRuntimeManager.Context context, Consumer<McpConnection> onBroken) {
        this.spec = spec;
        this.context = context;
        this.timer = context.timer();
        this.onBroken = onBroken;
        if (spec.transport() == Transport.STDIO) {
            context.reserveProcess(spec); // released by close(), the one way out
            stdio = new StdioTransport(spec, cohort, JSON, () -> markBroken(describeExit()));
            transport = new CallIds(stdio, requestIds::put);
        } else {
            stdio = null;
            transport = new CallIds(remoteTransport(spec), requestIds::put);
        }
        client = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation("jclaw", "JClaw", "null".equals(VERSION) ? "dev" : VERSION))
                // Our own bound on initialize (which also ends when the server dies) must fire first.
                .initializationTimeout(spec.connectionTimeout().plusSeconds(30))
                // The SDK's own bound only clears its bookkeeping for calls we already gave up on.
                .requestTimeout(spec.requestTimeout().multipliedBy(2).plusSeconds(30))
                .toolsChangeConsumer(changed -> Mono.fromRunnable(() -> {
                    tools = filter(changed);
                    context.toolsChanged(spec);
                }))
                .loggingConsumer(note -> Mono.fromRunnable(() ->
                        log.debug("MCP server '{}' log [{}]: {}", spec.label(), note.level(), note.data())))
                .build();
    }

    /**
     * Starts the server (stdio) or opens the connection (remote), runs initialize and lists its
     * tools, all within the server's connection timeout. On any failure nothing is left running.
     */
    static McpConnection open(McpServerSpec spec, Cohort cohort, McpRuntimeManager.Context context, Consumer<McpConnection> onBroken,
                              Consumer<McpConnection> created) {
        McpConnection connection = new McpConnection(spec, cohort, context, onBroken);
        try {
            created.accept(connection); // its owner may close it while it starts: initialize then ends at once
            connection.initialize();
            connection.tools = connection.filter(connection.listAllTools());
            if (!connection.state.compareAndSet(State.CONNECTING, State.READY)) {
                throw new McpException(McpException.Kind.START_FAILED, spec.name(),
                        "MCP server '" + spec.label() + "' broke while starting: " + connection.brokenReason);
            }
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            if (e instanceof McpException) throw e;
            throw new McpException(McpException.Kind.START_FAILED, spec.name(),
                    "MCP server '" + spec.label() + "' failed to start: " + e.getMessage() + connection.stderrSuffix(), e);
        }
    }

    private void initialize() {
        CompletableFuture<McpSchema.InitializeResult> init = client.initialize().toFuture();
        try {
            CompletableFuture.anyOf(init, brokenSignal).get(spec.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!init.isDone()) {
                throw new McpException(McpException.Kind.START_FAILED, spec.name(),
                        "MCP server '" + spec.label() + "' exited during initialize: " + brokenReason);
            }
            init.join();
        } catch (TimeoutException e) {
            init.cancel(true);
            throw new McpException(McpException.Kind.START_FAILED, spec.name(), "MCP server '" + spec.label()
                    + "' did not answer initialize within " + spec.connectionTimeout().toMillis() + " ms" + stderrSuffix());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(McpException.Kind.CANCELLED, spec.name(), "interrupted while starting MCP server '" + spec.label() + "'");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof McpException mcp) throw mcp;
            throw new McpException(McpException.Kind.START_FAILED, spec.name(), "MCP server '" + spec.label()
                    + "' failed initialize: " + cause.getMessage() + stderrSuffix(), cause);
        }
    }

    /** {@code tools/list}, following {@code nextCursor} to the end, each page within the request timeout. */
    private List<McpSchema.Tool> listAllTools() {
        List<McpSchema.Tool> all = new ArrayList<>();
        McpSchema.ServerCapabilities capabilities = client.getServerCapabilities();
        if (capabilities == null || capabilities.tools() == null) return all; // a server without tools is not an error
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            McpSchema.ListToolsResult result = await(client.listTools(cursor), spec.connectionTimeout(), "tools/list");
            if (result.tools() != null) all.addAll(result.tools());
            cursor = result.nextCursor();
            if (cursor == null || cursor.isEmpty()) return all;
        }
        throw new McpException(McpException.Kind.START_FAILED, spec.name(), "MCP server '" + spec.label() + "' paged tools/list more than 1000 times");
    }

    private List<McpSchema.Tool> filter(List<McpSchema.Tool> listed) {
        return listed.stream().filter(t -> spec.toolFilter().exposes(t.name())).toList();
    }

    /** Its tools after {@code toolFilter}, as last listed (refreshed on {@code list_changed}). */
    List<McpSchema.Tool> tools() {
        return tools;
    }

    State state() {
        return state.get();
    }

    McpServerSpec spec() {
        return spec;
    }

    /** The server's process, for stdio servers. */
    ChildProcess child() {
        return stdio == null ? null : stdio.child();
    }

    String brokenReason() {
        return brokenReason;
    }

    /** Calls a tool with a hard timeout; the returned call can be cancelled at any time. */
    McpCall call(String tool, Map<String, Object> arguments, Duration timeout) {
        String token = "jclaw-" + TOKENS.incrementAndGet();
        InFlight call = new InFlight(token, tool);
        if (state.get() != State.READY) {
            call.fail(new McpException(state.get() == State.BROKEN ? McpException.Kind.SERVER_EXITED : McpException.Kind.CLOSED,
                    spec.name(), "MCP server '" + spec.label() + "' is " + state.get().name().toLowerCase()
                    + (brokenReason == null ? "" : ": " + brokenReason)));
            return call;
        }
        inFlight.put(token, call);
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, arguments == null ? Map.of() : arguments,
                Map.of("progressToken", token));
        // The cancel writes to the server, which may have stopped reading: on a thread of its own, never the shared timer's.
        call.timeout = timer.schedule(() -> Thread.startVirtualThread(
                        () -> call.cancel("timeout after " + timeout.toMillis() + " ms", McpException.Kind.TIMEOUT)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        call.subscription = client.callTool(request).subscribe(call.result::complete,
                error -> call.fail(translate(error, tool)));
        if (state.get() != State.READY) call.fail(brokenError()); // broke between the check and the put
        return call;
    }

    /** A ping within {@code timeout}; false if the server did not answer. */
    boolean ping(Duration timeout) {
        try {
            await(client.ping(), timeout, "ping");
            return true;
        } catch (McpException e) {
            return false;
        }
    }

    /** Marks the connection broken (the server can no longer answer) and fails every call in flight. */
    void markBroken(String reason) {
        brokenReason = reason;
        if (state.compareAndSet(State.READY, State.BROKEN) || state.compareAndSet(State.CONNECTING, State.BROKEN)) {
            brokenSignal.complete(null);
            // The owner learns first, so a caller whose call fails below and retries at once finds the
            // server already restarting, not this dead connection.
            onBroken.accept(this);
            McpException error = brokenError();
            inFlight.values().forEach(call -> call.fail(error));
        }
    }

    /** Fails calls in flight, closes the client and ends the server's tree; bounded, idempotent. */
    @Override
    public void close() {
        State before = state.getAndSet(State.CLOSED);
        if (before == State.CLOSED) return;
        brokenSignal.complete(null);
        // Closing a broken connection (the owner's reaper) fails what is left with why it broke.
        McpException closed = before == State.BROKEN ? brokenError() : new McpException(McpException.Kind.CANCELLED, spec.name(),
                "MCP server '" + spec.label() + "' was shut down while the call ran");
        inFlight.values().forEach(call -> call.fail(closed));
        try {
            client.close();
        } catch (RuntimeException e) {
            log.debug("closing the MCP client of '{}'", spec.label(), e);
        }
        try {
            transport.close(); // stdio: the child's bounded stop sequence
        } finally {
            if (stdio != null) context.releaseProcess(); // even if the stop threw: the process cap must not drift
        }
    }

    private McpException brokenError() {
        return new McpException(McpException.Kind.SERVER_EXITED, spec.name(),
                "MCP server '" + spec.label() + "' stopped answering: " + brokenReason);
    }

    /** The exit of a stdio server, with its status and stderr once they are known (waiting at most 100 ms). */
    private String describeExit() {
        ChildProcess child = stdio.child();
        if (child == null) return "its process did not start";
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_REPORT_WAIT_MILLIS);
        while (child.launcherExitCode().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String status = child.launcherExitCode().map(code -> "its process exited with status " + code)
                .orElse("its stdout closed");
        return status + stderrSuffix();
    }

    private String stderrSuffix() {
        ChildProcess child = stdio == null ? null : stdio.child();
        if (child == null) return "";
        String tail = child.stderrTail().strip();
        if (tail.isEmpty()) return "";
        String[] lines = tail.split("\n");
        int from = Math.max(0, lines.length - 15);
        return "; stderr tail:\n  " + String.join("\n  ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private <T> T await(Mono<T> mono, Duration timeout, String what) {
        CompletableFuture<T> future = mono.toFuture();
        try {
            CompletableFuture.anyOf(future, brokenSignal).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!future.isDone()) throw brokenError();
            return future.join();
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new McpException(McpException.Kind.TIMEOUT, spec.name(),
                    "MCP server '" + spec.label() + "' did not answer " + what + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(McpException.Kind.CANCELLED, spec.name(), "interrupted while waiting for " + what);
        } catch (ExecutionException | CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), what);
        }
    }

    private McpException translate(Throwable error, String what) {
        if (error instanceof McpException mcp) return mcp;
        if (error instanceof McpError rpc) {
            return new McpException(McpException.Kind.SERVER_ERROR, spec.name(),
                    "MCP server '" + spec.label() + "' answered " + what + " with an error: " + rpc.getMessage(), rpc);
        }
        if (state.get() == State.BROKEN) return brokenError();
        return new McpException(McpException.Kind.SERVER_ERROR, spec.name(),
                "MCP server '" + spec.label() + "': " + what + " failed: " + error, error);
    }

    /** One call: completes once, by result, error, timeout, cancellation or the server's end. */
    private final class InFlight implements McpCall {
        private final String token;
        private final String tool;
        private final CompletableFuture<McpSchema.CallToolResult> result = new CompletableFuture<>();
        private volatile ScheduledFuture<?> timeout;
        private volatile Disposable subscription;

        InFlight(String token, String tool) {
            this.token = token;
            this.tool = tool;
            result.whenComplete((r, e) -> {
                inFlight.remove(token);
                requestIds.remove(token);
                ScheduledFuture<?> t = timeout;
                if (t != null) t.cancel(false);
            });
        }

        @Override
        public CompletableFuture<McpSchema.CallToolResult> result() {
            return result;
        }

        @Override
        public boolean cancel(String reason) {
            return cancel(reason, McpException.Kind.CANCELLED);
        }

        /** Tells the server first (a no-op for it if the reply is already on its way), then frees the caller. */
        boolean cancel(String reason, McpException.Kind kind) {
            if (result.isDone()) return false;
            Object requestId = requestIds.get(token);
            if (requestId != null && state.get() == State.READY) {
                transport.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/cancelled",
                        Map.of("requestId", requestId, "reason", reason)))
                        .subscribe(ignored -> { }, e -> log.debug("could not send notifications/cancelled to '{}'", spec.label(), e));
            }
            return fail(new McpException(kind, spec.name(), "call of '" + tool + "' on MCP server '" + spec.label() + "' "
                    + (kind == McpException.Kind.TIMEOUT ? "timed out: " : "was cancelled: ") + reason));
        }

        boolean fail(McpException error) {
            boolean failed = result.completeExceptionally(error);
            if (failed) {
                Disposable s = subscription;
                if (s != null) s.dispose(); // a late reply is then dropped
            }
            return failed;
        }
    }

    /**
     * Any transport, noting the JSON-RPC id of every tools/call it sends (by the call's progress
     * token): a timed-out or cancelled call can then send {@code notifications/cancelled} with that
     * id, whichever transport carries it.
     */
    private record CallIds(McpClientTransport delegate, java.util.function.BiConsumer<String, Object> sent) implements McpClientTransport {
        @Override
        public Mono<Void> connect(java.util.function.Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return delegate.connect(handler);
        }

        @Override
        public void setExceptionHandler(Consumer<Throwable> handler) {
            delegate.setExceptionHandler(handler);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            if (message instanceof McpSchema.JSONRPCRequest request && request.params() instanceof McpSchema.CallToolRequest call
                    && call.meta() != null && call.meta().get("progressToken") instanceof String token) {
                sent.accept(token, request.id());
            }
            return delegate.sendMessage(message);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public <T> T unmarshalFrom(Object data, io.modelcontextprotocol.json.TypeRef<T> type) {
            return delegate.unmarshalFrom(data, type);
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }

    private static McpClientTransport remoteTransport(McpServerSpec spec) {
        URI url = spec.url();
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        HttpRequest.Builder requests = HttpRequest.newBuilder();
        spec.headers().forEach(requests::header);
        return switch (spec.transport()) {
            case STREAMABLE_HTTP -> new StreamableHttpTransport(spec, JSON);
            case SSE -> HttpClientSseClientTransport.builder(base).sseEndpoint(path).requestBuilder(requests)
                    .connectTimeout(spec.connectionTimeout()).jsonMapper(JSON).build();
            case STDIO -> throw new IllegalArgumentException("stdio is not remote");
        };
    }
}
