package dev.jclaw.mcp;

import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Rows of the reliability matrix (docs: mcp-process-lifecycle.md), each ending with no leftover process. */
class McpReliabilityTest extends McpTestSupport {

    @Test
    void aCrashMidCallFailsEveryCallInFlightWithinASecondWithTheStderrTailThenRestartsLazily() throws Exception {
        manager();
        try (McpLease lease = lease("main", "s", fake("fake"))) {
            int firstPid = fakeServerPid(); // host pid: inside its PID namespace it is 2
            McpCall slow = lease.call("fake__slow", Map.of("seconds", 30), Duration.ofSeconds(60));
            Thread.sleep(200);

            long start = System.nanoTime();
            McpCall crash = lease.call("fake__crash", Map.of(), Duration.ofSeconds(60));
            for (McpCall call : List.of(slow, crash)) {
                assertThatThrownBy(() -> call.result().get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(McpException.class)
                        .hasMessageContaining("exited with status 7").hasMessageContaining("fatal: crash tool called");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(Procs.isAlive(firstPid)).isFalse();

            // during the backoff: a clear refusal; after it: a fresh process
            assertThatThrownBy(() -> lease.call("fake__echo", Map.of("message", "x"), null).result().get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(McpException.class).hasMessageContaining("restarting after a failure");
            Thread.sleep(300);
            assertThat(text(call(lease, "fake__echo", Map.of("message", "back")))).isEqualTo("back");
            assertThat(fakeServerPid()).isNotEqualTo(firstPid);
            McpStatus.Runtime runtime = manager.status().getFirst();
            assertThat(runtime.scopeKey()).isEqualTo("gateway");
            assertThat(runtime.leases()).isEqualTo(1);
            McpStatus.Server server = runtime.servers().getFirst();
            assertThat(server.restarts()).isEqualTo(2);
            assertThat(server.state()).isEqualTo("ready");
            assertThat(server.pid()).isNotNull();
            assertThat(server.lastError()).contains("exited with status 7");
            assertThat(server.stderrTail()).contains("fake-mcp-server: ready");
        }
    }

    @Test
    void aCrashLoopIsCappedAndReportedWithTheLastError() {
        manager(McpRuntimeManager.Limits.DEFAULT.withRestartBackoff(Duration.ofMillis(20)));
        McpServerSpec broken = McpServerSpec.stdio("broken", List.of("node", "-e",
                "process.stderr.write('boom: missing API key\\n'); process.exit(3)"));
        McpException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try (McpLease lease = lease("main", "s", broken)) {
                last = lease.failures().get("broken");
                if (last.kind() == McpException.Kind.CRASH_LOOP) break;
            }
            Procs.sleep(350); // past the longest backoff used here (20 ms << 4)
        }
        assertThat(last).isNotNull();
        assertThat(last.kind()).isEqualTo(McpException.Kind.CRASH_LOOP);
        assertThat(last).hasMessageContaining("failed 5 times in a row").hasMessageContaining("boom: missing API key");
        assertThat(manager.status().getFirst().servers().getFirst().state()).isEqualTo("crash_loop");
    }

    @Test
    void aServerHangingOnInitializeTimesOutAndItsTreeIsKilled() {
        manager();
        McpServerSpec hanging = fake("hang", "--hang-initialize").withTimeouts(Duration.ofSeconds(1), null);
        long start = System.nanoTime();
        try (McpLease lease = lease("main", "s", hanging)) {
            assertThat(lease.failures().get("hang")).hasMessageContaining("did not answer initialize within 1000 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(processes("fake-mcp-server")).isEmpty();
        assertThat(manager.liveProcesses()).isZero();
    }

    @Test
    void shuttingDownWhileAServerIsStillConnectingEndsBothPromptly() throws Exception {
        manager();
        McpServerSpec hanging = fake("hang", "--hang-initialize").withTimeouts(Duration.ofSeconds(30), null);
        CompletableFuture<McpLease> acquiring = CompletableFuture.supplyAsync(() -> lease("main", "s", hanging));
        await().atMost(Duration.ofSeconds(10)).until(() -> !processes("fake-mcp-server").isEmpty());

        long start = System.nanoTime();
        manager.close();
        McpLease lease = acquiring.get(5, TimeUnit.SECONDS);
        lease.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(lease.failures().get("hang")).isNotNull();
        assertThat(processes("fake-mcp-server")).isEmpty();
    }

    @Test
    void garbageOnStdoutIsSkippedAndRepliesStillArrive() throws Exception {
        manager();
        try (McpLease lease = lease("main", "s", fake("noisy", "--garbage"))) {
            assertThat(lease.failures()).isEmpty();
            assertThat(text(call(lease, "noisy__echo", Map.of("message", "through the noise")))).isEqualTo("through the noise");
        }
    }

    @Test
    void toolsAreListedAcrossPagesAndRefreshedOnListChanged() throws Exception {
        manager();
        McpServerSpec paged = fake("paged", "--extra-tools", "25", "--page-size", "4");
        try (McpLease lease = lease("main", "s", paged)) {
            assertThat(lease.tools()).hasSize(31);
            call(lease, "paged__notify-tools", Map.of());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (McpLease next = lease("main", "s", paged)) {
                assertThat(next.tools()).extracting(McpTool::exposedName).contains("paged__late");
            }
        });
    }

    @Test
    void aCallOverItsTimeoutIsCancelledOnTheServerAndTheLateReplyIsDropped() throws Exception {
        manager();
        try (McpLease lease = lease("main", "s", fake("fake"))) {
            McpCall slow = lease.call("fake__slow", Map.of("seconds", 1), Duration.ofMillis(300));
            assertThatThrownBy(() -> slow.result().get(2, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(McpException.class).hasMessageContaining("timed out");
            assertThat(((McpException) catchCause(slow)).kind()).isEqualTo(McpException.Kind.TIMEOUT);
            assertThat(text(call(lease, "fake__cancelled", Map.of()))).as("ids the server was told to cancel").matches("\\[\".+\"]");

            Thread.sleep(1200); // the late reply arrives now and must be dropped
            assertThat(text(call(lease, "fake__echo", Map.of("message", "after")))).isEqualTo("after");
        }
    }

    @Test
    void fiftyThreadsRacingOnOneKeyStartExactlyOneServer() throws Exception {
        manager();
        McpServerSpec spec = fake("shared");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> pids = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pids.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    try (McpLease lease = lease("main", "agent:main:main", spec)) {
                        return text(call(lease, "shared__pid", Map.of()));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        go.countDown();
        Set<String> distinct = new java.util.HashSet<>();
        for (CompletableFuture<String> pid : pids) distinct.add(pid.get(30, TimeUnit.SECONDS));

        assertThat(distinct).hasSize(1);
        assertThat(registry.get("jclaw.process.spawned").counter().count()).isEqualTo(1);
    }

    @Test
    void aCreationFailureReachesEveryWaiterAndLeavesNoProcess() throws Exception {
        manager();
        McpServerSpec hanging = fake("hang", "--hang-initialize").withTimeouts(Duration.ofMillis(800), null);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<McpException>> failures = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                failures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    try (McpLease lease = lease("main", "s", hanging)) {
                        return lease.failures().get("hang");
                    }
                }, threads));
            }
            go.countDown();
        }
        for (CompletableFuture<McpException> f : failures) {
            McpException failure = f.get(10, TimeUnit.SECONDS);
            assertThat(failure.kind()).isEqualTo(McpException.Kind.START_FAILED);
            assertThat(failure).hasMessageContaining("did not answer initialize within 800 ms");
        }
        assertThat(registry.get("jclaw.process.spawned").counter().count()).isEqualTo(1);
        assertThat(processes("fake-mcp-server")).isEmpty();
    }

    /** The host pid of the one running fake server's node process (not its launch-chain wrappers). */
    private int fakeServerPid() {
        return processes("fake-mcp-server").stream().filter(p -> p.command().startsWith("node ")).findFirst()
                .orElseThrow(() -> new AssertionError("no fake server running")).pid();
    }

    private static Throwable catchCause(McpCall call) {
        try {
            call.result().join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        }
    }
}
