package dev.jclaw.process;

import dev.jclaw.testing.Procs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway itself is SIGKILLed: with PID namespaces its whole tree is gone within 1 s; with the
 * weaker chains whatever survives is killed by the next start's sweep, and only that.
 */
class GatewayKillTest extends SupervisorTestSupport {

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void nothingOfAKilledGatewaySurvivesItsNextStart(LaunchChain chain) throws Exception {
        requireAvailable(chain);
        Path runDir = stateDir.resolve("run");
        String instance = SupervisorOptions.newInstanceId();
        Process host = startHost(runDir, chain, instance);
        try {
            List<Procs.Proc> tree = ChildLifecycleTest.awaitUntil(instance,
                    procs -> procs.stream().filter(p -> p.command().equals("sleep 600")).count() >= 3);
            // The double-forked escaper leads a session of its own; every other process is in its launcher's group.
            int escaperGroup = tree.stream().filter(p -> p.command().equals("sleep 600") && p.pid() == p.pgid())
                    .mapToInt(Procs.Proc::pgid).findFirst()
                    .orElseThrow(() -> new AssertionError("no escaper in a session of its own: " + tree));

            host.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(host.waitFor(5, TimeUnit.SECONDS)).isTrue();

            switch (chain) {
                case NAMESPACE, NAMESPACE_PER_CHILD -> assertThat(Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(1)))
                        .as("the kernel ends the whole namespace, the escaper included").isEmpty();
                case SESSION_WATCHDOG -> {
                    List<Procs.Proc> left = Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(1)).stream()
                            .filter(p -> p.pgid() != escaperGroup).toList();
                    assertThat(left).as("the watchdogs killed their groups").isEmpty();
                }
                case SESSION -> assertThat(Procs.ownedBy(instance)).as("plain setsid: the tree survives the gateway").isNotEmpty();
            }
            int leftBeforeRestart = Procs.ownedBy(instance).size();

            ProcessSupervisor restarted = ProcessSupervisor.start(SupervisorOptions.defaults(runDir).withChain(chain));
            try {
                assertThat(restarted.startupSweep().processesKilled()).isEqualTo(leftBeforeRestart);
                assertThat(Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(1))).isEmpty();
                assertThat(runDir).isDirectoryNotContaining("glob:**/supervisor-" + instance + ".json");
            } finally {
                restarted.close();
            }
        } finally {
            host.destroyForcibly();
            host.waitFor(5, TimeUnit.SECONDS);
            for (Procs.Proc p : Procs.ownedBy(instance)) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @ParameterizedTest
    @EnumSource(LaunchChain.class)
    void theSweepLeavesALiveGatewaysChildrenAlone(LaunchChain chain) throws Exception {
        requireAvailable(chain);
        Path runDir = stateDir.resolve("run");
        String instance = SupervisorOptions.newInstanceId();
        Process host = startHost(runDir, chain, instance);
        try {
            ChildLifecycleTest.awaitUntil(instance, procs -> procs.stream().filter(p -> p.command().equals("sleep 600")).count() >= 3);
            int before = Procs.ownedBy(instance).size();

            ProcessSupervisor other = ProcessSupervisor.start(SupervisorOptions.defaults(runDir).withChain(chain));
            other.close();

            assertThat(other.startupSweep().processesKilled()).isZero();
            assertThat(Procs.ownedBy(instance)).hasSize(before);
        } finally {
            host.destroyForcibly();
            host.waitFor(5, TimeUnit.SECONDS);
            ProcessSupervisor.start(SupervisorOptions.defaults(runDir).withChain(chain)).close(); // sweeps what the kill left
        }
    }

    private static Process startHost(Path runDir, LaunchChain chain, String instance) throws Exception {
        return startHost(List.of(), System.getProperty("java.class.path"), runDir, chain.id(), instance, chain.id());
    }

    /** Starts {@link SupervisorHost} (behind {@code prefix}, e.g. setpriv) and waits for its ready line. */
    static Process startHost(List<String> prefix, String classpath, Path runDir, String chain, String instance,
                             String expectedChain) throws Exception {
        return startHostReporting(prefix, classpath, runDir, chain, instance, expectedChain).process();
    }

    /** A started host and its ready line ("ready <chain>: <how it works here>"). */
    record Host(Process process, String readyLine) {}

    static Host startHostReporting(List<String> prefix, String classpath, Path runDir, String chain, String instance,
                                   String expectedChain) throws Exception {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC", "-cp", classpath,
                SupervisorHost.class.getName(), runDir.toString(), chain, instance));
        Process host = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the host's first line").startsWith("ready " + expectedChain + ":");
        return new Host(host, line);
    }
}
