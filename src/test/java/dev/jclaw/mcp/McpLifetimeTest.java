package dev.jclaw.mcp;

import dev.jclaw.config.McpServerConfig.Scope;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Who shares a server, and when it goes: scopes, retirement, idleness, reloads, caps, shutdown. */
class McpLifetimeTest extends McpTestSupport {

    @Test
    void scopesDecideWhoSharesAServer() throws Exception {
        manager();
        McpServerSpec shared = fake("shared").withScope(Scope.GATEWAY);
        McpServerSpec perAgent = fake("mine").withScope(Scope.AGENT);
        McpServerSpec perSession = fake("temp").withScope(Scope.SESSION);
        for (String agent : List.of("a", "b")) {
            for (String session : List.of("agent:" + agent + ":main", "agent:" + agent + ":other")) {
                try (McpLease lease = lease(agent, session, shared, perAgent, perSession)) {
                    assertThat(lease.failures()).isEmpty();
                }
            }
        }
        // 1 gateway + 2 agents + 4 sessions
        assertThat(manager.liveProcesses()).isEqualTo(7);
        assertThat(manager.status()).extracting(McpStatus.Runtime::scopeKey).containsExactly(
                "agent:a", "agent:b", "gateway", "session:agent:a:main", "session:agent:a:other",
                "session:agent:b:main", "session:agent:b:other");
    }

    @Test
    void resetDuringATenSecondCallCancelsItAndRetiresTheRuntimeAfterTheLastLease() throws Exception {
        manager();
        McpServerSpec spec = fake("fake").withScope(Scope.SESSION);
        McpLease lease = lease("main", "agent:main:main", spec);
        McpCall call = lease.call("fake__slow", Map.of("seconds", 10), Duration.ofSeconds(20));
        Thread.sleep(200);

        manager.retire(ScopeKey.session("agent:main:main")); // reset: the run is still in its tool call
        assertThat(processes("fake-mcp-server")).as("still leased: not yet disposed").isNotEmpty();

        long start = System.nanoTime();
        lease.close(); // the aborted run releases its lease
        assertThatThrownBy(() -> call.result().get(1, TimeUnit.SECONDS)).cause()
                .isInstanceOf(McpException.class).hasMessageContaining("cancelled");
        await().atMost(Duration.ofSeconds(5)).until(() -> processes("fake-mcp-server").isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(manager.liveRuntimes()).isZero();
    }

    @Test
    void anAcquireDuringDisposalWaitsForItThenStartsAFreshServer() throws Exception {
        manager();
        McpServerSpec spec = fake("fake").withScope(Scope.SESSION);
        try (McpLease lease = lease("main", "s1", spec)) {
            call(lease, "fake__echo", Map.of("message", "x"));
        }
        int first = nodePids().getFirst();
        manager.retire(ScopeKey.session("s1"));
        try (McpLease again = lease("main", "s1", spec)) {
            assertThat(again.failures()).isEmpty();
            assertThat(Procs.isAlive(first)).isFalse();
            assertThat(nodePids()).singleElement().isNotEqualTo(first);
        }
    }

    @Test
    void idleEvictionReapsIdleRuntimesButNeverOneWithALeaseOrACallInFlight() throws Exception {
        manager(McpRuntimeManager.Limits.DEFAULT.withSessionIdleTtl(Duration.ofMillis(300)).withSweepInterval(Duration.ofMillis(50)));
        McpServerSpec spec = fake("fake").withScope(Scope.SESSION);

        try (McpLease idle = lease("main", "idle", spec)) {
            assertThat(idle.failures()).isEmpty();
        }
        McpLease held = lease("main", "held", spec);
        McpLease busy = lease("main", "busy", spec);
        McpCall inFlight = busy.call("fake__slow", Map.of("seconds", 2), Duration.ofSeconds(10));
        Thread.sleep(900);

        assertThat(manager.status()).extracting(McpStatus.Runtime::scopeKey)
                .containsExactlyInAnyOrder("session:held", "session:busy");
        held.close();
        assertThat(inFlight.result().get(5, TimeUnit.SECONDS).content()).isNotEmpty();
        busy.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.liveRuntimes() == 0);
        assertThat(processes("fake-mcp-server")).isEmpty();

        try (McpLease revived = lease("main", "idle", spec)) {
            assertThat(text(call(revived, "fake__echo", Map.of("message", "respawned")))).isEqualTo("respawned");
        }
    }

    @Test
    void closeDuringAnIdleRetirementReturnsOnlyOnceThatRuntimesTreeIsGone() throws Exception {
        manager(McpRuntimeManager.Limits.DEFAULT.withSessionIdleTtl(Duration.ofMillis(300)).withSweepInterval(Duration.ofMillis(50)));
        // Outlives its stdin: the retirement's stop sequence spends its whole stdin grace (2 s) on it.
        McpServerSpec spec = fake("lingering", "--exit-on-eof=no").withScope(Scope.SESSION);
        try (McpLease lease = lease("main", "idle", spec)) {
            assertThat(lease.failures()).isEmpty();
        }
        List<Procs.Proc> tree = processes("fake-mcp-server");
        assertThat(tree).isNotEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.status().stream().anyMatch(r -> r.state().equals("disposed")));

        manager.close(); // the retirement is still stopping the server on its own thread

        assertThat(tree.stream().filter(p -> Procs.isAlive(p.pid()))).as("alive after close returned").isEmpty();
    }

    @Test
    void aConfigChangeWhileTheServerIsStillStartingKillsThatStartBeforeReturning() throws Exception {
        manager();
        McpServerSpec before = fake("slow", "--hang-initialize").withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
        try (var acquirer = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Future<McpLease> acquiring = acquirer.submit(() -> lease("main", "s", before));
            await().atMost(Duration.ofSeconds(20)).until(() -> processes("fake-mcp-server").stream().anyMatch(p -> p.command().startsWith("node ")));
            List<Procs.Proc> starting = processes("fake-mcp-server");

            manager.reconfigure(List.of(fake("slow").withEnv(Map.of("MODE", "two"))), null);

            assertThat(starting.stream().filter(p -> Procs.isAlive(p.pid()))).as("the tree of the start that was cut short").isEmpty();
            try (McpLease lease = acquiring.get(10, TimeUnit.SECONDS)) {
                assertThat(lease.failures()).as("the start ended at once, not after its 30 s").isNotEmpty();
            }
        }
    }

    @Test
    void aConfigChangeKillsTheOldTreeBeforeTheNewOneIsAdmittedAndLeavesOthersAlone() throws Exception {
        manager();
        McpServerSpec before = fake("changing").withEnv(Map.of("MODE", "one"));
        McpServerSpec other = fake("steady");
        try (McpLease lease = lease("main", "s", before, other)) {
            assertThat(lease.failures()).isEmpty();
        }
        List<Procs.Proc> running = processes("fake-mcp-server").stream().filter(p -> p.command().startsWith("node ")).toList();
        assertThat(running).hasSize(2);
        McpServerSpec after = fake("changing").withEnv(Map.of("MODE", "two"));

        manager.reconfigure(List.of(after, other), null);

        assertThat(running.stream().filter(p -> Procs.isAlive(p.pid()))).hasSize(1); // "steady" survived
        try (McpLease lease = lease("main", "s", after, other)) {
            assertThat(lease.failures()).isEmpty();
            assertThat(text(call(lease, "changing__echo", Map.of("message", "new")))).isEqualTo("new");
        }
        assertThat(manager.liveProcesses()).isEqualTo(2);
    }

    @Test
    void overTheRuntimeCapAnAcquireIsRefusedAndNothingRunningIsTouched() throws Exception {
        manager(McpRuntimeManager.Limits.DEFAULT.withCaps(2, 10));
        McpServerSpec spec = fake("fake").withScope(Scope.SESSION);
        try (McpLease one = lease("main", "s1", spec); McpLease two = lease("main", "s2", spec)) {
            List<Integer> before = nodePids();

            assertThatThrownBy(() -> lease("main", "s3", spec)).isInstanceOf(McpException.class)
                    .hasMessageContaining("2 runtimes are live, the cap (mcp.maxRuntimes)");

            assertThat(nodePids()).containsExactlyInAnyOrderElementsOf(before);
            assertThat(text(call(one, "fake__echo", Map.of("message", "ok")))).isEqualTo("ok");
            assertThat(text(call(two, "fake__echo", Map.of("message", "ok")))).isEqualTo("ok");
        }
    }

    @Test
    void overTheProcessCapAServerIsRefusedWithAClearError() {
        manager(McpRuntimeManager.Limits.DEFAULT.withCaps(10, 1));
        try (McpLease lease = lease("main", "s", fake("first"), fake("second"))) {
            assertThat(lease.failures()).hasSize(1);
            assertThat(lease.failures().values().iterator().next()).hasMessageContaining("the cap (mcp.maxProcesses)");
            assertThat(lease.tools()).isNotEmpty();
        }
        assertThat(manager.liveProcesses()).isEqualTo(1);
    }

    @Test
    void shutdownWithTwentyRuntimesCancelsCallsAndEndsEveryTreeWithinTheBound() throws Exception {
        manager();
        McpServerSpec spec = fake("fake", "--exit-on-eof=no").withScope(Scope.SESSION);
        List<McpLease> leases = new java.util.ArrayList<>();
        List<McpCall> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            McpLease lease = lease("main", "s" + i, spec);
            leases.add(lease);
            calls.add(lease.call("fake__slow", Map.of("seconds", 30), Duration.ofSeconds(60)));
        }
        assertThat(nodePids()).hasSize(20);

        long start = System.nanoTime();
        manager.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("20 servers that ignore stdin EOF, stopped in parallel").isLessThan(Duration.ofSeconds(8));
        assertThat(processes("fake-mcp-server")).isEmpty();
        for (McpCall call : calls) {
            assertThatThrownBy(() -> call.result().get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        leases.forEach(McpLease::close);
    }

    @Test
    void aClosedLeaseRefusesCallsAndUnknownToolsAreNamedInTheError() throws Exception {
        manager();
        McpLease lease = lease("main", "s", fake("fake"));
        assertThatThrownBy(() -> lease.call("fake__nope", Map.of(), null).result().get()).cause()
                .hasMessageContaining("no MCP tool 'fake__nope' is offered to this run");
        lease.close();
        assertThatThrownBy(() -> lease.call("fake__echo", Map.of("message", "x"), null).result().get()).cause()
                .hasMessageContaining("lease is closed");
    }

    @Test
    void builtInNamesAreReservedAndCollisionsGetSuffixes() {
        manager();
        try (McpLease lease = manager.acquire("main", "s", List.of(fake("dup"), fake("dup").withOwner("main")), Set.of("dup__echo"))) {
            assertThat(lease.tools()).extracting(McpTool::exposedName).contains("dup__echo-2", "dup__echo-3")
                    .doesNotContain("dup__echo");
        }
    }

    private List<Integer> nodePids() {
        return processes("fake-mcp-server").stream().filter(p -> p.command().startsWith("node ")).map(Procs.Proc::pid).toList();
    }
}
