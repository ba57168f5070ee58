package dev.jclaw.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real MCP servers from the npm registry, launched through npx, through the whole client stack. */
class RealServersTest extends McpTestSupport {

    @Test
    void theEverythingServersToolsAreOfferedUnderTheirOpenClawNamesAndAnswer() throws Exception {
        manager();
        try (McpLease lease = lease("main", "agent:main:main", npx("everything", "mcp-server-everything"))) {
            assertThat(lease.failures()).isEmpty();
            assertThat(lease.tools()).extracting(McpTool::exposedName)
                    .contains("everything__echo", "everything__get-sum", "everything__trigger-long-running-operation");
            McpTool echo = lease.tools().stream().filter(t -> t.exposedName().equals("everything__echo")).findFirst().orElseThrow();
            assertThat(echo.inputSchema()).containsKey("properties"); // passed through unchanged

            assertThat(text(call(lease, "everything__echo", Map.of("message", "hi there")))).isEqualTo("Echo: hi there");
            assertThat(text(call(lease, "everything__get-sum", Map.of("a", 2, "b", 40)))).contains("42");
        }
    }

    @Test
    void theFilesystemServerReadsOnlyInsideItsRoot(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        Files.writeString(root.resolve("notes.txt"), "hello from a real file");
        manager();
        try (McpLease lease = lease("main", "s", npx("fs", "mcp-server-filesystem", root.toString()))) {
            assertThat(lease.failures()).isEmpty();
            McpSchema.CallToolResult read = call(lease, "fs__read_text_file", Map.of("path", root.resolve("notes.txt").toString()));
            assertThat(text(read)).isEqualTo("hello from a real file");

            McpSchema.CallToolResult outside = call(lease, "fs__read_text_file", Map.of("path", "/etc/hostname"));
            assertThat(outside.isError()).isTrue();
            assertThat(text(outside)).containsIgnoringCase("access denied");
        }
    }

    @Test
    void aLongCallCancelledAtOneSecondFreesTheCallerAtOnce() throws Exception {
        manager();
        try (McpLease lease = lease("main", "s", npx("everything", "mcp-server-everything"))) {
            McpCall call = lease.call("everything__trigger-long-running-operation", Map.of("duration", 60, "steps", 60), Duration.ofSeconds(90));
            Thread.sleep(1000);

            long start = System.nanoTime();
            assertThat(call.cancel("the user aborted the run")).isTrue();
            assertThatThrownBy(() -> call.result().get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(McpException.class).hasMessageContaining("cancelled");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));

            // the connection stays usable after the cancel
            assertThat(text(call(lease, "everything__echo", Map.of("message", "still here")))).isEqualTo("Echo: still here");
        }
    }

    @Test
    void theServersOfOneLeaseStartConcurrently() throws Exception {
        manager();
        long start = System.nanoTime();
        try (McpLease lease = lease("main", "s", npx("a", "mcp-server-everything"), npx("b", "mcp-server-everything"),
                npx("c", "mcp-server-memory"))) {
            assertThat(lease.failures()).isEmpty();
            assertThat(lease.tools()).extracting(McpTool::server).contains("a", "b", "c");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("three npx starts").isLessThan(Duration.ofSeconds(20));
        assertThat(manager.liveProcesses()).isEqualTo(3); // gateway scope: kept for the next run
        assertThat(List.of(processes("mcp-server-everything").size())).isNotEmpty();
    }
}
