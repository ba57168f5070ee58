package dev.jclaw.mcp;

import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supervisor and an MCP runtime manager per test. Every test ends with the manager closed and
 * no process of the test's supervisor alive (checked before the supervisor's own close could hide a leak).
 */
abstract class McpTestSupport {
    @TempDir
    Path stateDir;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProcessSupervisor supervisor;
    McpRuntimeManager manager;

    McpRuntimeManager manager(McpRuntimeManager.Limits limits) {
        supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(stateDir.resolve("run")).withRegistry(registry));
        manager = new McpRuntimeManager(supervisor, limits, registry);
        return manager;
    }

    McpRuntimeManager manager() {
        return manager(McpRuntimeManager.Limits.DEFAULT.withRestartBackoff(Duration.ofMillis(200)));
    }

    @AfterEach
    void noMcpProcessOutlivesTheManager() {
        if (manager == null) return;
        manager.close();
        List<Procs.Proc> left = Procs.treesOf(supervisor.instanceId());
        supervisor.close();
        assertThat(left).as("processes alive after the MCP manager closed").isEmpty();
        assertThat(Procs.awaitNoneOwnedBy(supervisor.instanceId(), Duration.ofSeconds(2))).isEmpty();
        assertThat(Procs.awaitNoZombies(Duration.ofSeconds(5))).isEmpty();
    }

    static McpServerSpec fake(String name, String... flags) {
        return McpServerSpec.stdio(name, Fixtures.fakeMcpServer(flags));
    }

    static McpServerSpec npx(String name, String bin, String... args) {
        return McpServerSpec.stdio(name, Fixtures.npxServer(bin, args)).withCwd(Fixtures.npmFixtures())
                .withEnv(Map.of("npm_config_update_notifier", "false"));
    }

    McpLease lease(String agent, String session, McpServerSpec... servers) {
        return manager.acquire(agent, session, List.of(servers), Set.of());
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    static McpSchema.CallToolResult call(McpLease lease, String tool, Map<String, Object> args) throws Exception {
        return lease.call(tool, args, Duration.ofSeconds(20)).result().get(30, TimeUnit.SECONDS);
    }

    /** Live processes of this test's supervisor whose command line contains {@code fragment}. */
    List<Procs.Proc> processes(String fragment) {
        return Procs.ownedBy(supervisor.instanceId()).stream().filter(p -> p.command().contains(fragment)).toList();
    }
}
