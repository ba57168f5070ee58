package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;

import java.nio.file.Path;
import java.util.List;

/**
 * A gateway stand-in for the tests that SIGKILL it: a supervisor in its own JVM with a tree that
 * ignores TERM, has a grandchild and a double-forked escaper. Prints "ready" once all are running.
 * Arguments: run dir, launch chain, instance id.
 */
public final class SupervisorHost {
    public static void main(String[] args) throws Exception {
        ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(Path.of(args[0]))
                .withChain(LaunchChain.parse(args[1])).withInstanceId(args[2]));
        Cohort cohort = supervisor.openCohort("host");
        cohort.spawn(ChildSpec.of("tree", Fixtures.chaosChild("--ignore-term", "--grandchild", "--double-fork")));
        cohort.spawn(ChildSpec.of("echo", Fixtures.chaosChild()));
        cohort.spawn(ChildSpec.of("shell", List.of("/bin/sh", "-c", "sleep 600 & wait")));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
