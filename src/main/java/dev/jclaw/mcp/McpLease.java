package dev.jclaw.mcp;

import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run's hold on the MCP runtimes it uses: the tools it may call, and the right to call them.
 * Closing it — in every exit of the run, through try-with-resources — cancels its calls still in
 * flight and releases its runtimes; a runtime that was told to retire goes when its last lease does.
 * There is no flag to pass: whoever opens a lease closes it.
 */
public final class McpLease implements AutoCloseable {
    /** One offered tool and where it lives. */
    record Binding(McpTool tool, McpRuntime runtime, McpServerSlot slot) {}

    private final List<McpRuntime> runtimes;
    private final Map<String, Binding> bindings;
    private final Map<String, McpException> failures;
    private final Set<McpCall> calls = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    McpLease(List<McpRuntime> runtimes, Map<String, Binding> bindings, Map<String, McpException> failures) {
        this.runtimes = List.copyOf(runtimes);
        this.bindings = Map.copyOf(bindings);
        this.failures = Map.copyOf(failures);
    }

    /** The tools offered, in a stable order. */
    public List<McpTool> tools() {
        return bindings.values().stream().map(Binding::tool)
                .sorted(java.util.Comparator.comparing(McpTool::exposedName)).toList();
    }

    /** Servers the run may use that could not be started, by name, with why. */
    public Map<String, McpException> failures() {
        return failures;
    }

    /**
     * Calls a tool by its exposed name.
     *
     * @param timeout the call's bound, or null for the server's {@code requestTimeout}
     */
    public McpCall call(String exposedName, Map<String, Object> arguments, Duration timeout) {
        Binding binding = bindings.get(exposedName);
        if (binding == null) {
            return failed(new McpException(McpException.Kind.UNKNOWN_TOOL, null, "no MCP tool '" + exposedName + "' is offered to this run"));
        }
        if (closed.get()) {
            return failed(new McpException(McpException.Kind.CLOSED, binding.tool().server(), "the run's MCP lease is closed"));
        }
        binding.runtime().callStarted();
        McpCall call;
        try {
            call = binding.slot().call(binding.tool().toolName(), arguments, timeout);
        } catch (McpException e) {
            binding.runtime().callEnded();
            return failed(e);
        }
        calls.add(call);
        call.result().whenComplete((result, error) -> {
            calls.remove(call);
            binding.runtime().callEnded();
        });
        if (closed.get()) call.cancel("the run ended");
        return call;
    }

    /** Cancels calls still in flight and releases the runtimes; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (McpCall call : calls) call.cancel("the run ended");
        runtimes.forEach(McpRuntime::release);
    }

    private static McpCall failed(McpException error) {
        CompletableFuture<McpSchema.CallToolResult> result = CompletableFuture.failedFuture(error);
        return new McpCall() {
            @Override
            public CompletableFuture<McpSchema.CallToolResult> result() {
                return result;
            }

            @Override
            public boolean cancel(String reason) {
                return false;
            }
        };
    }
}
