package dev.jclaw.mcp;

import io.modelcontextprotocol.spec.McpSchema;

import java.util.concurrent.CompletableFuture;

/**
 * One tool call in flight. {@link #result()} completes with the server's result, or exceptionally
 * with an {@link McpException} (timeout, cancellation, server exit, server error). {@link #cancel}
 * frees the caller at once and tells the server with {@code notifications/cancelled}; a reply that
 * arrives later is dropped.
 */
public interface McpCall {
    CompletableFuture<McpSchema.CallToolResult> result();

    /** Cancels the call if it is still running; returns whether it was. */
    boolean cancel(String reason);
}
