package dev.jclaw.process;

import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateways run as ordinary users. The suite usually runs as root, which skips those branches, so
 * these tests run a supervisor host JVM as {@code nobody}, SIGKILL it and check its tree is gone
 * within 1 s:
 * <ul>
 * <li>started the way {@code ./jclaw} starts an ordinary user's gateway, in a user namespace of its
 * own with its capabilities kept: the shared PID namespace, one helper, one process per server;</li>
 * <li>started as a plain JVM with no capabilities: a PID namespace per child, inside a user namespace.</li>
 * </ul>
 */
class UnprivilegedLaunchTest {
    private static final String NOBODY = "65534";
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");

    @Test
    void asAnOrdinaryUserInTheLaunchersUserNamespaceOneHelperAndOneProcessPerServerDieWithTheGateway(@TempDir Path dir) throws Exception {
        List<String> prefix = new ArrayList<>(AS_NOBODY);
        prefix.addAll(List.of("unshare", "--user", "--map-current-user", "--keep-caps", "--"));
        String instance = SupervisorOptions.newInstanceId();
        GatewayKillTest.Host host = start(dir, prefix, instance, LaunchChain.NAMESPACE);
        try {
            assertThat(host.readyLine()).contains("one PID namespace per gateway");
            List<Procs.Proc> tree = awaitTree(instance);
            assertThat(Procs.helpersOf(instance)).as("one helper per gateway").hasSize(1);
            assertThat(tree.stream().filter(p -> p.command().equals("/bin/sh -c sleep 600 & wait"))).as("the shell server, once").hasSize(1);
            assertThat(tree).noneMatch(p -> p.command().contains("unshare") || p.command().contains("jclaw-init"));
            // Capabilities stay with the gateway: what it starts holds none.
            for (Procs.Proc p : Procs.treesOf(instance)) assertThat(capEff(p.pid())).as("CapEff of %s", p).isZero();

            killAndExpectNothingLeft(host.process(), instance);
        } finally {
            cleanUp(host.process(), instance);
        }
    }

    @Test
    void asAPlainOrdinaryUserEachChildGetsAPidNamespaceAndTheWholeTreeDiesWithTheGateway(@TempDir Path dir) throws Exception {
        String instance = SupervisorOptions.newInstanceId();
        GatewayKillTest.Host host = start(dir, AS_NOBODY, instance, LaunchChain.NAMESPACE_PER_CHILD);
        try {
            assertThat(host.readyLine()).contains("a PID namespace per child");
            List<Procs.Proc> tree = awaitTree(instance);
            assertThat(tree).anyMatch(p -> p.command().contains("unshare --user --map-current-user"));
            assertThat(Procs.helpersOf(instance)).isEmpty();

            killAndExpectNothingLeft(host.process(), instance);
        } finally {
            cleanUp(host.process(), instance);
        }
    }

    /** Starts a host that probes its own chain, and checks it chose {@code expected}. */
    private static GatewayKillTest.Host start(Path dir, List<String> prefix, String instance, LaunchChain expected) throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root to switch to nobody; as an ordinary user the other tests already take these branches");
        String classpath = copyReadable(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), dir);
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return GatewayKillTest.startHostReporting(prefix, classpath, runDir, "probe", instance, expected.id());
    }

    private static List<Procs.Proc> awaitTree(String instance) {
        return ChildLifecycleTest.awaitUntil(instance, procs -> procs.stream().filter(p -> p.command().equals("sleep 600")).count() >= 3);
    }

    private static void killAndExpectNothingLeft(Process host, String instance) throws Exception {
        host.destroyForcibly();
        assertThat(host.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(1))).as("left 1 s after the gateway's SIGKILL").isEmpty();
    }

    private static void cleanUp(Process host, String instance) throws Exception {
        host.destroyForcibly();
        host.waitFor(5, TimeUnit.SECONDS);
        for (Procs.Proc p : Procs.ownedBy(instance)) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        // The killed host's orphans were re-parented to this JVM (a subreaper): its reaper scan takes them
        // within two 2 s rounds.
        assertThat(Procs.awaitNoZombies(Duration.ofSeconds(10))).isEmpty();
    }

    private static long capEff(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
            if (line.startsWith("CapEff:")) return Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
        throw new AssertionError("no CapEff for " + pid);
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }

    /** Copies every classpath entry where {@code nobody} can read it (root's Maven repository is private). */
    private static String copyReadable(String classpath, Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) continue;
            Path target = dir.resolve("cp" + (i++) + (Files.isDirectory(source) ? "" : "-" + source.getFileName()));
            if (Files.isDirectory(source)) {
                try (Stream<Path> tree = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) tree::iterator) {
                        Path t = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t);
                    }
                }
            } else {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
