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
 * Supervisors for a test, and the check every process test ends with: no process of the test's
 * child trees is alive (checked before the supervisor's own close could hide a leak), the
 * supervisor kept at most its namespace helper, nothing at all is left once it closed, and the JVM
 * has no zombie child.
 * <p>
 * A launch chain this host cannot run skips its tests with a message (surefire counts them as
 * skipped); under {@code CI=true} it fails them instead, so CI always runs every chain.
 */
abstract class SupervisorTestSupport {
    /** Short graces keep tests fast; the sequence is the same. */
    static final StopPolicy QUICK = new StopPolicy(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2));

    @TempDir
    Path stateDir;

    private final List<ProcessSupervisor> supervisors = new ArrayList<>();

    /** A supervisor on exactly this launch chain. */
    ProcessSupervisor supervisor(LaunchChain chain) {
        requireAvailable(chain);
        ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(stateDir.resolve("run")).withChain(chain));
        supervisors.add(supervisor);
        return supervisor;
    }

    ProcessSupervisor supervisor() {
        ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(stateDir.resolve("run")));
        supervisors.add(supervisor);
        return supervisor;
    }

    /** Skips (or under CI fails) a test whose launch chain this host cannot run. */
    static void requireAvailable(LaunchChain chain) {
        try {
            Launcher.forced(chain);
        } catch (IllegalStateException e) {
            String why = chain.id() + " is not available on this host: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI must run every launch chain; " + why);
            System.err.println("SKIPPED (" + why + ")");
            Assumptions.abort(why);
        }
    }

    @AfterEach
    void nothingOutlivesItsOwner() {
        List<String> leaks = new ArrayList<>();
        for (ProcessSupervisor supervisor : supervisors) {
            List<Procs.Proc> left = Procs.treesOf(supervisor.instanceId());
            List<Procs.Proc> helpers = Procs.helpersOf(supervisor.instanceId());
            List<Long> declared = supervisor.helperPids();
            supervisor.close();
            if (!left.isEmpty()) leaks.add(supervisor.instanceId() + " left " + left);
            assertThat(helpers).as("the helpers of %s are the ones it declares", supervisor.instanceId())
                    .allMatch(p -> declared.contains((long) p.pid()));
            assertThat(helpers.size()).as("helper processes of %s (not one per server)", supervisor.instanceId())
                    .isLessThanOrEqualTo(2);
            assertThat(Procs.awaitNoneOwnedBy(supervisor.instanceId(), Duration.ofSeconds(2)))
                    .as("processes of %s after its supervisor closed (helper included)", supervisor.instanceId()).isEmpty();
        }
        assertThat(leaks).as("processes alive after the test closed its cohorts").isEmpty();
        // Stops reap synchronously; zombies adopted from a SIGKILLed host JVM wait for the reaper's scan (two 2 s
        // rounds: a bound of the code, with a margin a loaded machine keeps).
        assertThat(Procs.awaitNoZombies(Duration.ofSeconds(10))).as("zombie children of the test JVM").isEmpty();
    }
}
