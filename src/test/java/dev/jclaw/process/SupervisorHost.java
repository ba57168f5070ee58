package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;

import java.nio.file.Path;
import java.util.List;

/**
 * A gateway stand-in for the tests that SIGKILL it: a supervisor in its own JVM with servers that
 * keep running after stdin EOF, one ignoring TERM with a grandchild and a double-forked escaper. Prints "ready <chain>: <detail>" once
 * all are running. Arguments: run dir, launch chain (or "probe"), instance id.
 */
public final class SupervisorHost {
    public static void main(String[] args) throws Exception {
        SupervisorOptions options = SupervisorOptions.defaults(Path.of(args[0])).withInstanceId(args[2]);
        if (!args[1].equals("probe")) options = options.withChain(LaunchChain.parse(args[1]));
        ProcessSupervisor supervisor = ProcessSupervisor.start(options);
        Cohort cohort = supervisor.openCohort("host");
        // Servers that outlive the EOF of the gateway's death: the launch chain, not the EOF, must end them.
        cohort.spawn(ChildSpec.of("tree", Fixtures.chaosChild("--ignore-term", "--ignore-eof", "--grandchild", "--double-fork")));
        cohort.spawn(ChildSpec.of("echo", Fixtures.chaosChild("--ignore-eof")));
        cohort.spawn(ChildSpec.of("shell", List.of("/bin/sh", "-c", "sleep 600 & wait")));
        System.out.println("ready " + supervisor.launchChain().id() + ": " + supervisor.launchDetail());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
