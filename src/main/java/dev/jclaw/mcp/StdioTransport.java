package dev.jclaw.mcp;

import dev.jclaw.process.ChildProcess;
import dev.jclaw.process.ChildSpec;
import dev.jclaw.process.Cohort;
import dev.jclaw.process.ProcessStartException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The SDK's client speaks over this transport to a server that is a child of the process
 * supervisor, never the SDK's own {@code StdioClientTransport} (which kills only the direct child
 * and may wait forever). The child lives in the runtime's cohort; closing the transport runs its
 * bounded stop sequence.
 * <p>
 * Inbound lines are parsed on the child's stdout thread; a line that is not JSON-RPC is skipped and
 * logged (servers must write nothing else on stdout, some do). Requests from the server (ping,
 * roots) are answered on a virtual thread, so a server that stops reading cannot block our reader.
 */
final class StdioTransport implements McpClientTransport {
    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);
    /** How many skipped stdout lines are logged per server before going quiet. */
    private static final int LOGGED_GARBAGE_LINES = 20;

    private final McpServerSpec spec;
    private final Cohort cohort;
    private final McpJsonMapper json;
    private final Runnable onStdoutClosed;
    private volatile Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler;
    private volatile ChildProcess child;
    /** Set by close(); guarded by this, like the spawn. */
    private boolean closed;
    private int garbageLines;

    /** @param onStdoutClosed told when the server can no longer answer */
    StdioTransport(McpServerSpec spec, Cohort cohort, McpJsonMapper json, Runnable onStdoutClosed) {
        this.spec = spec;
        this.cohort = cohort;
        this.json = json;
        this.onStdoutClosed = onStdoutClosed;
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.fromCallable(() -> {
            this.handler = handler;
            List<String> command = new ArrayList<>(spec.command());
            ChildSpec childSpec = ChildSpec.of("mcp:" + spec.name(), command)
                    .withEnv(spec.env())
                    .withCwd(spec.cwd())
                    .withOnLine(this::receive)
                    .withOnStdoutClosed(onStdoutClosed);
            try {
                synchronized (this) { // a close() before or during the spawn must find the child, or forbid it
                    if (closed) throw new McpException(McpException.Kind.CLOSED, spec.name(), "MCP server '" + spec.label() + "' was closed before it started");
                    child = cohort.spawn(childSpec);
                }
            } catch (ProcessStartException e) {
                throw new McpException(McpException.Kind.START_FAILED, spec.name(),
                        "MCP server '" + spec.label() + "' could not start: " + e.getMessage(), e);
            }
            return null;
        });
    }

    /** The child, once connected. */
    ChildProcess child() {
        return child;
    }

    private void receive(String line) {
        if (line.isBlank()) return;
        JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, line);
        } catch (IOException | IllegalArgumentException e) {
            if (garbageLines++ < LOGGED_GARBAGE_LINES) {
                log.warn("MCP server '{}' wrote a line that is not JSON-RPC to stdout (skipped): {}", spec.label(),
                        line.length() > 200 ? line.substring(0, 200) + "…" : line);
            }
            return;
        }
        Mono<JSONRPCMessage> handled = handler.apply(Mono.just(message));
        if (message instanceof McpSchema.JSONRPCRequest) {
            Thread.ofVirtual().name("jclaw-mcp-request-" + spec.name()).start(() -> handled.block());
        } else {
            handled.subscribe(ignored -> { }, error -> log.debug("MCP server '{}': handling a message failed", spec.label(), error));
        }
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            ChildProcess target = child;
            if (target == null) throw new IllegalStateException("MCP server '" + spec.label() + "' is not connected");
            try {
                target.send(json.writeValueAsString(message));
            } catch (IOException e) {
                throw new McpException(McpException.Kind.SERVER_EXITED, spec.name(),
                        "MCP server '" + spec.label() + "' does not accept input: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    /** Stops the child's tree: bounded, idempotent. */
    @Override
    public void close() {
        ChildProcess target;
        synchronized (this) {
            closed = true;
            target = child;
        }
        if (target != null) target.stop();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }
}
