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
 * Gateways run as ordinary users, where the namespace chain needs a user namespace
 * ({@code unshare --user --map-current-user}). The suite usually runs as root, which skips that
 * branch, so this test runs a supervisor host JVM as {@code nobody}, SIGKILLs it and checks its
 * tree is gone within 1 s.
 */
class UnprivilegedLaunchTest {
    private static final String NOBODY = "65534";

    @Test
    void asAnOrdinaryUserTheNamespaceChainStillKillsTheWholeTreeWithTheGateway(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ProcScan.markers((int) ProcessHandle.current().pid()) != null && isRoot(),
                "needs root to switch to nobody; as an ordinary user the other tests already take this branch");
        String classpath = copyReadable(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), dir);
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String instance = SupervisorOptions.newInstanceId();

        Process host = GatewayKillTest.startHost(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"),
                classpath, runDir, "probe", instance, "namespace");
        try {
            List<Procs.Proc> tree = ChildLifecycleTest.awaitUntil(instance,
                    procs -> procs.stream().filter(p -> p.command().equals("sleep 600")).count() >= 3);
            assertThat(tree).anyMatch(p -> p.command().contains("unshare --user --map-current-user"));

            host.destroyForcibly();
            assertThat(host.waitFor(5, TimeUnit.SECONDS)).isTrue();

            assertThat(Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(1))).isEmpty();
        } finally {
            host.destroyForcibly();
            host.waitFor(5, TimeUnit.SECONDS);
            for (Procs.Proc p : Procs.ownedBy(instance)) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            assertThat(Procs.awaitNoZombies(Duration.ofSeconds(5))).isEmpty();
        }
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
