package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared PID namespace (issue 17): N servers are N processes carrying their command lines, plus
 * one helper per supervisor that repeats none of them; every server lives in the helper's namespace;
 * and a helper that dies takes its namespace along, after which the next spawn gets a new one.
 */
class SharedNamespaceTest extends SupervisorTestSupport {

    @BeforeEach
    void needsTheSharedNamespace() {
        requireAvailable(LaunchChain.NAMESPACE);
    }

    @Test
    void nineServersAreNineProcessesAndOneHelperInOneNamespace() throws Exception {
        ProcessSupervisor supervisor = supervisor(LaunchChain.NAMESPACE);
        List<String> command = Fixtures.chaosChild("--ready");
        try (Cohort cohort = supervisor.openCohort("nine")) {
            List<ChildProcess> children = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(9);
            for (int i = 0; i < 9; i++) {
                children.add(cohort.spawn(ChildSpec.of("server-" + i, command).withOnLine(line -> ready.countDown())));
            }
            assertThat(ready.await(20, TimeUnit.SECONDS)).isTrue();

            String script = command.get(1);
            List<Procs.Proc> naming = Procs.ownedBy(supervisor.instanceId()).stream().filter(p -> p.command().contains(script)).toList();
            assertThat(naming).as("processes carrying the server's command line").hasSize(9);
            assertThat(naming.stream().map(Procs.Proc::pid).toList())
                    .containsExactlyInAnyOrderElementsOf(children.stream().map(c -> (int) c.pid()).toList());

            List<Procs.Proc> helpers = Procs.helpersOf(supervisor.instanceId());
            assertThat(helpers).hasSize(1);
            assertThat(helpers.getFirst().command()).doesNotContain(script);
            assertThat(supervisor.helperPids()).containsExactly((long) helpers.getFirst().pid());

            String namespace = pidNamespace(helpers.getFirst().pid());
            assertThat(namespace).isNotEqualTo(pidNamespace((int) ProcessHandle.current().pid()));
            for (ChildProcess child : children) {
                assertThat(pidNamespace((int) child.pid())).as("namespace of %s", child).isEqualTo(namespace);
                assertThat(PidNamespace.nsPidDepth((int) child.pid())).isEqualTo(2);
                assertThat(ProcessHandle.of(child.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                        .as("a direct child of the gateway").contains(ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void aKilledHelperTakesItsNamespaceAlongAndTheNextSpawnGetsANewOne() throws Exception {
        ProcessSupervisor supervisor = supervisor(LaunchChain.NAMESPACE);
        try (Cohort cohort = supervisor.openCohort("helper-death")) {
            CountDownLatch ready = new CountDownLatch(1);
            ChildProcess before = cohort.spawn(ChildSpec.of("before", Fixtures.chaosChild("--ready", "--ignore-eof"))
                    .withOnLine(line -> ready.countDown()));
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            long helper = supervisor.helperPids().getFirst();

            ProcessHandle.of(helper).orElseThrow().destroyForcibly();

            ChildExit exit = before.exit().get(10, TimeUnit.SECONDS);
            assertThat(exit.reason()).as("the kernel killed the namespace's processes").isEqualTo(ChildExit.Reason.EXITED);
            CountDownLatch again = new CountDownLatch(1);
            ChildProcess after = cohort.spawn(ChildSpec.of("after", Fixtures.chaosChild("--ready")).withOnLine(line -> again.countDown()));
            assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(supervisor.helperPids()).hasSize(1).doesNotContain(helper);
            assertThat(pidNamespace((int) after.pid())).isEqualTo(pidNamespace(supervisor.helperPids().getFirst().intValue()));
        }
    }

    private static String pidNamespace(int pid) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "pid")).toString();
    }
}
