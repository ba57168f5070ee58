package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The stop sequence through every launch chain: graceful, TERM, KILL, and whole trees. */
class ChildLifecycleTest extends SupervisorTestSupport {

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void stopsGracefullyWhenTheChildExitsOnStdinClose(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Cohort cohort = supervisor.openCohort("graceful")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("echo", Fixtures.chaosChild("--ready")).withOnLine(lines::add));
            assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("ready");
            child.send("hello");
            assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello");

            ChildExit exit = child.stop();

            assertThat(exit.reason()).isEqualTo(ChildExit.Reason.STOPPED);
            assertThat(exit.escalation()).isEqualTo(ChildExit.Escalation.NONE);
            assertThat(exit.exitCode()).isZero();
            assertThat(child.isAlive()).isFalse();
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void aChildWithNoTermHandlerStopsOnTheGracefulTerm(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        try (Cohort cohort = supervisor.openCohort("term")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("no-eof", Fixtures.chaosChild("--ready", "--ignore-eof"))
                    .withStop(QUICK));

            ChildExit exit = child.stop();

            assertThat(exit.escalation()).as(exit.describe()).isEqualTo(ChildExit.Escalation.TERM);
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void aChildIgnoringTermAndEofIsKilledAtTheDeadlineAndCloseIsBounded(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        try (Cohort cohort = supervisor.openCohort("stubborn")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("stubborn",
                    Fixtures.chaosChild("--ignore-term", "--ignore-eof", "--grandchild")).withStop(QUICK));
            awaitOwned(supervisor, 1, p -> p.command().equals("sleep 600"));

            long start = System.nanoTime();
            ChildExit exit = child.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exit.escalation()).isEqualTo(ChildExit.Escalation.KILL);
            assertThat(took).isLessThanOrEqualTo(QUICK.bound());
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void grandchildrenOfAShellDieWithTheTree(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Cohort cohort = supervisor.openCohort("tree")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("tree",
                    List.of("/bin/sh", "-c", "sleep 600 & sleep 600 & echo started; wait")).withOnLine(lines::add).withStop(QUICK));
            assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("started");
            List<Procs.Proc> sleepers = awaitOwned(supervisor, 2, p -> p.command().equals("sleep 600"));
            assertThat(sleepers).hasSize(2);

            child.stop();

            assertThat(sleepers).noneMatch(p -> Procs.isAlive(p.pid()));
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void aDoubleForkedEscaperInAnotherSessionIsKilledByItsMarker(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        try (Cohort cohort = supervisor.openCohort("escaper")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("escaper", Fixtures.chaosChild("--ready", "--double-fork"))
                    .withStop(QUICK));
            Procs.Proc escaper = awaitOwned(supervisor, 1, p -> p.command().equals("sleep 600") && p.pgid() != child.pid()).getFirst();

            child.stop();

            assertThat(Procs.isAlive(escaper.pid())).isFalse();
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void aRealNpxLaunchedNodeServerDiesWithItsTree(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        try (Cohort cohort = supervisor.openCohort("npx")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("everything", List.of("npx", "--no-install", "mcp-server-everything"))
                    .withCwd(Fixtures.npmFixtures()).withEnv(java.util.Map.of("npm_config_update_notifier", "false")));
            // npx (node) runs the server in a node process of its own: wait for both.
            List<Procs.Proc> nodes = awaitOwned(supervisor, 1, p -> p.command().contains("mcp-server-everything")
                    && !p.command().contains("npx") && p.command().startsWith("node"));
            assertThat(nodes).isNotEmpty();

            ChildExit exit = child.stop();

            assertThat(nodes).noneMatch(p -> Procs.isAlive(p.pid()));
            assertThat(Procs.treesOf(supervisor.instanceId())).as(exit.describe()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void aCrashIsReportedWithItsStderrTail(LaunchChain chain) throws Exception {
        ProcessSupervisor supervisor = supervisor(chain);
        try (Cohort cohort = supervisor.openCohort("crash")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("crasher", Fixtures.chaosChild("--crash-after", "200")));

            ChildExit exit = child.exit().get(5, TimeUnit.SECONDS);

            assertThat(exit.reason()).isEqualTo(ChildExit.Reason.EXITED);
            assertThat(exit.exitCode()).isEqualTo(3);
            assertThat(exit.stderrTail()).contains("fatal: simulated crash after 200 ms");
            assertThat(exit.describe()).contains("crasher").contains("status 3").contains("simulated crash");
            assertThat(child.isAlive()).isFalse();
            assertThat(cohort.children()).isEmpty();
        }
    }

    static List<Procs.Proc> awaitOwned(ProcessSupervisor supervisor, int atLeast, java.util.function.Predicate<Procs.Proc> filter) {
        return awaitUntil(supervisor.instanceId(), procs -> procs.stream().filter(filter).count() >= atLeast).stream()
                .filter(filter).toList();
    }

    /** Waits (≤ 20 s) until the processes owned by {@code owner} satisfy {@code condition}; returns them all. */
    static List<Procs.Proc> awaitUntil(String owner, java.util.function.Predicate<List<Procs.Proc>> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Procs.Proc> found;
        do {
            found = Procs.ownedBy(owner);
            if (condition.test(found)) return found;
            Procs.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("processes of " + owner + " never matched: " + found);
    }
}
