package dev.jclaw.process;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hand-written posix_spawn: what a child gets, read from inside it. */
class PosixSpawnTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "PROBE", "yes");

    @BeforeAll
    static void needsGlibc() {
        assumeTrue(PosixSpawn.available(), "posix_spawn with closefrom needs glibc 2.34+");
    }

    /** Runs {@code script} under sh and returns its stdout, after checking it exited 0. */
    private static String run(String script, Path cwd, boolean newSession) throws Exception {
        NativeProcess p = PosixSpawn.spawn("/bin/sh", List.of("/bin/sh", "-c", script), ENV, cwd, PosixSpawn.Stdio.PIPES, newSession).watch();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit of %s: %s", script, out).isZero();
        assertThat(p.isAlive()).isFalse();
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theChildLeadsAGroupOfItsOwnAndASessionOnlyWhenAsked(boolean newSession) throws Exception {
        String[] f = run("read -r _ _ _ _ pgid sid _ </proc/self/stat; echo $$ $pgid $sid", null, newSession).strip().split(" ");
        // $$ of the sh is the pid stat reports only outside a PID namespace, which this test is.
        assertThat(f[1]).as("pgid").isEqualTo(f[0]);
        String jvmSession = Files.readString(Path.of("/proc/self/stat")).replaceAll("^.*\\) ", "").split(" ")[3];
        if (newSession) assertThat(f[2]).as("sid").isEqualTo(f[0]);
        else assertThat(f[2]).as("sid: the gateway's").isEqualTo(jvmSession);
    }

    @Test
    void theChildHasOnlyItsThreeStreamsTheGivenEnvironmentAndCleanSignals(@TempDir Path dir) throws Exception {
        String out = run("ls /proc/self/fd | sort -n | tr '\\n' ' '; echo; env | sort | tr '\\n' ' '; echo;"
                + " grep -E '^Sig(Blk|Ign):' /proc/self/status | tr '\\n' ' '; echo; pwd", dir, false);
        String[] lines = out.split("\n");
        // ls itself opens one directory fd: 0 1 2 and that one.
        assertThat(lines[0].strip().split(" ")).as("open fds of a child of the child").hasSize(4).startsWith("0", "1", "2");
        assertThat(lines[1]).contains("PROBE=yes").contains("PATH=/usr/bin:/bin").doesNotContain("JAVA_HOME").doesNotContain("HOME=");
        assertThat(lines[2]).contains("SigBlk:\t0000000000000000");
        // No standard signal ignored (32 and 33 belong to glibc's threads and show as ignored in any shell here).
        long ignored = Long.parseUnsignedLong(lines[2].replaceAll("^.*SigIgn:\t(\\p{XDigit}+).*$", "$1").strip(), 16);
        assertThat(ignored & 0x7fffffffL).as("SigIgn of signals 1-31: %s", lines[2]).isZero();
        assertThat(lines[3].strip()).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void aProgramThatCannotRunIsAnErrorNamingIt() {
        assertThatThrownBy(() -> PosixSpawn.spawn("/nonexistent/tool", List.of("tool"), ENV, null, PosixSpawn.Stdio.PIPES))
                .isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/tool").hasMessageContaining("errno 2");
    }

    @Test
    void nullStreamsReadNothingAndExitStatusesAndSignalsAreReportedAsTheJdkDoes() throws Exception {
        NativeProcess quiet = PosixSpawn.spawn("/bin/sh", List.of("/bin/sh", "-c", "exit 7"), ENV, null, PosixSpawn.Stdio.NULL).watch();
        assertThat(quiet.waitFor()).isEqualTo(7);
        assertThat(quiet.getInputStream().read()).isEqualTo(-1);

        NativeProcess sleeper = PosixSpawn.spawn("/bin/sleep", List.of("sleep", "600"), ENV, null, PosixSpawn.Stdio.PIPES).watch();
        sleeper.destroyForcibly();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.exitValue()).as("128 + SIGKILL").isEqualTo(137);
        sleeper.destroy(); // after the reap: must not signal a pid that may be someone else's now
    }
}
