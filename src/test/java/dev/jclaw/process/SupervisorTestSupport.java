package dev.jclaw.process;

import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Supervisors for a test, and the check every process test ends with: no process carrying the
 * test's marker is alive (checked before the supervisor's own close could hide a leak), and the
 * JVM has no zombie child.
 */
abstract class SupervisorTestSupport {
    /** Short graces keep tests fast; the sequence is the same. */
    static final StopPolicy QUICK = new StopPolicy(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2));

    @TempDir
    Path stateDir;

    private final List<ProcessSupervisor> supervisors = new ArrayList<>();

    ProcessSupervisor supervisor(LaunchChain chain) {
        try {
            Launcher.forced(chain);
        } catch (IllegalStateException e) {
            Assumptions.abort(chain.id() + " is not available on this host");
        }
        ProcessSupervisor supervisor = ProcessSupervisor.start(
                SupervisorOptions.defaults(stateDir.resolve("run")).withChain(chain));
        supervisors.add(supervisor);
        return supervisor;
    }

    ProcessSupervisor supervisor() {
        ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(stateDir.resolve("run")));
        supervisors.add(supervisor);
        return supervisor;
    }

    @AfterEach
    void nothingOutlivesItsOwner() {
        List<String> leaks = new ArrayList<>();
        for (ProcessSupervisor supervisor : supervisors) {
            List<Procs.Proc> left = Procs.ownedBy(supervisor.instanceId());
            supervisor.close();
            if (!left.isEmpty()) leaks.add(supervisor.instanceId() + " left " + left);
            assertThat(Procs.awaitNoneOwnedBy(supervisor.instanceId(), Duration.ofSeconds(2)))
                    .as("processes of %s after its supervisor closed", supervisor.instanceId()).isEmpty();
        }
        assertThat(leaks).as("processes alive after the test closed its cohorts").isEmpty();
        // Stops reap synchronously; zombies adopted from a SIGKILLed host JVM wait for the reaper's scan (two 2 s rounds).
        assertThat(Procs.awaitNoZombies(Duration.ofSeconds(5))).as("zombie children of the test JVM").isEmpty();
    }
}
