package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A child's output can never exhaust the gateway: stderr floods and endless lines. */
class OutputLimitsTest extends SupervisorTestSupport {

    @Test
    void stdoutKeepsFlowingDuringAStderrFloodAndTheHeapStaysBounded() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Cohort cohort = supervisor.openCohort("flood")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("flood", Fixtures.chaosChild("--ready", "--flood-stderr"))
                    .withOnLine(lines::add).withStop(QUICK));
            assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("ready");
            long heapBefore = usedHeapAfterGc();

            for (int i = 0; i < 500; i++) {
                child.send("line " + i);
                assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:line " + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            StderrTail tail = stderrOf(child);
            while (tail.bytesSeen() < 50L * 1024 * 1024 && System.nanoTime() < deadline) Procs.sleep(50);

            assertThat(tail.bytesSeen()).as("stderr bytes drained").isGreaterThanOrEqualTo(50L * 1024 * 1024);
            assertThat(child.stderrTail()).hasSizeLessThanOrEqualTo(StderrTail.CAPACITY).contains("chaos-child stderr flood line");
            assertThat(usedHeapAfterGc() - heapBefore).as("heap growth while 50 MB went through stderr").isLessThan(16L * 1024 * 1024);
            child.stop();
        }
    }

    @Test
    void aFiftyMegabyteLineWithoutNewlineFailsTheChildAndKillsItsTree() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        try (Cohort cohort = supervisor.openCohort("long-line")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("long-line",
                    Fixtures.chaosChild("--grandchild", "--no-newline", Integer.toString(50 * 1024 * 1024), "--ignore-eof")));

            ChildExit exit = child.exit().get(20, TimeUnit.SECONDS);

            assertThat(exit.reason()).isEqualTo(ChildExit.Reason.LINE_TOO_LONG);
            assertThat(exit.detail()).contains("long-line").contains("16777216 bytes without a newline");
            assertThat(exit.escalation()).isEqualTo(ChildExit.Escalation.KILL);
            assertThat(Procs.treesOf(supervisor.instanceId())).isEmpty();
        }
    }

    private static StderrTail stderrOf(ChildProcess child) throws ReflectiveOperationException {
        var field = ChildProcess.class.getDeclaredField("stderr");
        field.setAccessible(true);
        return (StderrTail) field.get(child);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
