package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing an owner scope ends all its children, concurrently and bounded. */
class CohortTest extends SupervisorTestSupport {

    @Test
    void closingACohortStopsAllItsChildrenConcurrently() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        Cohort cohort = supervisor.openCohort("runtime");
        for (int i = 0; i < 5; i++) {
            cohort.spawn(ChildSpec.of("stubborn-" + i, Fixtures.chaosChild("--ignore-term", "--ignore-eof")).withStop(QUICK));
        }
        assertThat(cohort.children()).hasSize(5);

        long start = System.nanoTime();
        cohort.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("five KILL-bound stops in parallel, not in series").isLessThan(QUICK.bound());
        assertThat(cohort.children()).isEmpty();
        assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
    }

    @Test
    void closingTheSupervisorEndsEveryCohortAndDeletesItsLedger() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        Cohort a = supervisor.openCohort("a");
        Cohort b = supervisor.openCohort("b");
        a.spawn(ChildSpec.of("a1", Fixtures.chaosChild("--grandchild")).withStop(QUICK));
        b.spawn(ChildSpec.of("b1", Fixtures.chaosChild("--ignore-eof")).withStop(QUICK));
        assertThat(supervisor.liveChildren()).isEqualTo(2);
        assertThat(stateDir.resolve("run")).isDirectoryContaining("glob:**/supervisor-" + supervisor.instanceId() + ".json");

        supervisor.close();

        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(supervisor.liveChildren()).isZero();
        assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        assertThat(stateDir.resolve("run")).isEmptyDirectory();
    }
}
