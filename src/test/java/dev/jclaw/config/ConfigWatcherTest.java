package dev.jclaw.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hot reload against a real file and the real filesystem watcher. */
class ConfigWatcherTest {
    @TempDir
    Path home;

    private final List<JClawConfig> applied = new CopyOnWriteArrayList<>();
    private final List<List<ConfigProblem>> rejected = new CopyOnWriteArrayList<>();
    private ConfigWatcher watcher;

    private final ConfigWatcher.Listener listener = new ConfigWatcher.Listener() {
        @Override
        public void applied(JClawConfig config, List<ConfigProblem> warnings) {
            applied.add(config);
        }

        @Override
        public void rejected(List<ConfigProblem> errors) {
            rejected.add(errors);
        }
    };

    @AfterEach
    void close() {
        if (watcher != null) watcher.close();
    }

    private Path start(String initialText) throws IOException {
        Path file = home.resolve("jclaw.json");
        Files.writeString(file, initialText);
        JClawConfig initial = ConfigLoader.load(file, TestEnv.of(home)).orElseThrow();
        watcher = ConfigWatcher.start(file, TestEnv.of(home), initial, listener);
        return file;
    }

    /** Saves like an editor does: a new file renamed over the old one. */
    private void save(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".swp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void validEditIsAppliedWithoutARestart() throws IOException {
        Path file = start("{ gateway: { port: 18789 } }");

        save(file, "{ gateway: { port: 18800 } }");

        await().atMost(Duration.ofSeconds(10)).until(() -> !applied.isEmpty());
        assertThat(applied.getLast().gateway().port()).isEqualTo(18800);
        assertThat(watcher.current().gateway().port()).isEqualTo(18800);
        assertThat(rejected).isEmpty();
    }

    @Test
    void anEditIsAppliedWhileTheSessionStoreWritesBesideItAllTheTime() throws Exception {
        // The default config lives in the state dir, next to sessions.db-wal, which changes with every append.
        Path file = start("{ gateway: { port: 18789 } }");
        Path wal = home.resolve("sessions.db-wal");
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; writing.get(); i++) {
                    Files.writeString(wal, "entry " + i + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException e) {
                // test over
            }
        });
        try {
            Thread.sleep(1_000);
            assertThat(applied).as("store traffic alone reloads nothing that changed").isEmpty();

            save(file, "{ gateway: { port: 18800 } }");

            await().atMost(Duration.ofSeconds(10)).until(() -> !applied.isEmpty());
            assertThat(watcher.current().gateway().port()).isEqualTo(18800);
        } finally {
            writing.set(false);
            writer.join(5_000);
        }
    }

    @Test
    void invalidEditIsRejectedWithItsErrorsAndTheRunningConfigStays() throws IOException {
        Path file = start("{ gateway: { port: 18789 } }");

        save(file, "{ gateway: { port: 'eighteen' } }");

        await().atMost(Duration.ofSeconds(10)).until(() -> !rejected.isEmpty());
        assertThat(rejected.getFirst()).extracting(ConfigProblem::toString)
                .containsExactly("gateway.port: expected a whole number from 1 to 65535, got \"eighteen\"");
        assertThat(watcher.current().gateway().port()).isEqualTo(18789);
        assertThat(applied).isEmpty();

        save(file, "{ gateway: { port: 18801 } }");
        await().atMost(Duration.ofSeconds(10)).until(() -> !applied.isEmpty());
        assertThat(watcher.current().gateway().port()).isEqualTo(18801);
    }

    @Test
    void deletedFileIsRejectedAndTheRunningConfigStays() throws IOException {
        Path file = start("{ gateway: { port: 18789 } }");

        Files.delete(file);

        await().atMost(Duration.ofSeconds(10)).until(() -> !rejected.isEmpty());
        assertThat(watcher.current().gateway().port()).isEqualTo(18789);
    }

    @Test
    void reloadOfAnUnchangedConfigNotifiesNobody() throws IOException {
        start("{ gateway: { port: 18789 } }");

        ConfigResult result = watcher.reload();

        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        assertThat(applied).isEmpty();
        assertThat(rejected).isEmpty();
    }

    @Test
    void closeIsIdempotentAndStopsWatching() throws IOException {
        Path file = start("{ gateway: { port: 18789 } }");
        watcher.close();
        watcher.close();

        save(file, "{ gateway: { port: 18802 } }");

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(applied::isEmpty);
        assertThat(watcher.current().gateway().port()).isEqualTo(18789);
    }
}
