package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Crashes and rivals in a real second JVM. */
class CrashSafetyTest {
    private static final SessionKey KEY = SessionKey.main("ops", "main");

    @TempDir
    Path state;

    private static Process startChild(String... args) throws IOException {
        return startChild(List.of(), args);
    }

    private static Process startChild(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Collects the child's stdout lines on a virtual thread. */
    private static List<String> readLines(Process child) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) lines.add(line);
            } catch (IOException ignored) {
                // child killed
            }
        });
        return lines;
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
    }

    @Test
    void sqliteLoadsItsLibraryFromTheStateDirNotFromTmpAndRunsNoHelperProcess(@TempDir Path tmp) throws Exception {
        // Left alone, the driver extracts its library into java.io.tmpdir and runs `uname -o` (a child without
        // JCLAW_OWNER) on the way; a library named up front skips both.
        for (int start = 0; start < 2; start++) {
            Process child = startChild(List.of("-Djava.io.tmpdir=" + tmp), "open", state.toString(), KEY.toString());
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("opened");
            assertThat(child.exitValue()).isZero();
        }
        try (var left = java.nio.file.Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("sqlite-"));
        }
        try (var copies = java.nio.file.Files.walk(state.resolve("lib"))) {
            assertThat(copies.filter(p -> p.getFileName().toString().equals("libsqlitejdbc.so"))).hasSize(1);
        }
    }

    @Test
    void killMinus9MidAppendLeavesATranscriptWithEveryAcknowledgedEntryAndAWorkingStore() throws Exception {
        Process child = startChild("append", state.toString(), KEY.toString());
        List<String> acknowledged;
        try {
            List<String> lines = readLines(child);
            await().atMost(30, TimeUnit.SECONDS).until(() -> lines.size() > 300);
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            acknowledged = lines.subList(1, lines.size());
        } finally {
            kill(child);
        }

        try (StateLock lock = StateLock.acquire(state, "after crash"); SessionStore store = SessionStore.open(lock)) {
            History history = store.history(KEY, 1_000_000);
            List<String> ids = history.entries().stream().map(TranscriptEntry::id).toList();
            assertThat(ids).as("every entry the child saw appended is on disk").containsAll(acknowledged);
            assertThat(history.warnings()).as("at most the torn last line is skipped").hasSizeLessThanOrEqualTo(1);
            for (int i = 1; i < history.entries().size(); i++) {
                assertThat(history.entries().get(i).parentId()).isEqualTo(history.entries().get(i - 1).id());
            }
            TranscriptEntry next = store.append(KEY, TranscriptMessage.User.text("after the crash"));
            assertThat(next.parentId()).isEqualTo(ids.getLast());
            assertThat(store.history(KEY, 1).entries()).containsExactly(next);
        }
    }

    @Test
    void secondGatewayOnTheSameStateDirIsRefusedNamingTheHolderUntilTheHolderDies() throws Exception {
        Process holder = startChild("lock", state.toString());
        try {
            List<String> lines = readLines(holder);
            await().atMost(30, TimeUnit.SECONDS).until(() -> lines.contains("locked"));

            assertThatThrownBy(() -> StateLock.acquire(state, "gateway")).isInstanceOf(StateLockedException.class)
                    .hasMessageContaining("pid " + holder.pid()).hasMessageContaining("store child")
                    .hasMessageContaining("JCLAW_STATE_DIR");
            try (SessionReader reader = SessionStore.openReadOnly(state)) {
                assertThat(reader.list(SessionQuery.all())).as("reading needs no lock").isEmpty();
            }
        } finally {
            kill(holder);
        }
        try (StateLock lock = StateLock.acquire(state, "gateway")) {
            assertThat(lock.isHeld()).as("the kernel released the dead holder's lock").isTrue();
        }
    }
}
