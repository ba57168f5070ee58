package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** 1,000 spawn/stop cycles leave file descriptors, threads and the ledger where they started. */
class SpawnCycleTest extends SupervisorTestSupport {

    @Test
    void aThousandSpawnStopCyclesKeepFdsAndThreadsFlat() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        try (Cohort cohort = supervisor.openCohort("cycles")) {
            cycles(cohort, 50); // warm up: JDK reaper threads, class loading, carrier threads
            int fds = Procs.openFds();
            int threads = Procs.threads();

            cycles(cohort, 1000);

            assertThat(Procs.openFds()).as("open fds after 1000 cycles (before: %d)", fds).isLessThanOrEqualTo(fds + 4);
            assertThat(Procs.threads()).as("threads after 1000 cycles (before: %d)", threads).isLessThanOrEqualTo(threads + 4);
            assertThat(supervisor.liveChildren()).isZero();
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    private static void cycles(Cohort cohort, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            CountDownLatch ready = new CountDownLatch(1);
            ChildProcess child = cohort.spawn(ChildSpec.of("cycle", Fixtures.chaosChild("--ready")).withOnLine(line -> ready.countDown()));
            assertThat(ready.await(5, TimeUnit.SECONDS)).as("cycle %d printed ready", i).isTrue();
            assertThat(child.stop().escalation()).isEqualTo(ChildExit.Escalation.NONE);
        }
    }
}
