package dev.jclaw.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hot reload: watches the config file's folder and, once edits have settled, loads the file again.
 * A valid config that differs from the running one is applied (the listener gets it); an invalid one
 * is rejected with its errors logged and the running config stays. The folder is watched, not the
 * file, because editors save by writing a new file and renaming it over the old one; a periodic
 * check of the file's size and modification time catches filesystems without change events.
 * The folder is often the state dir, where the session store writes all the time: only events for
 * JSON files (the config and what it includes) start a reload, and the settling has a deadline,
 * so steady store traffic can neither cause reloads nor postpone one.
 *
 * <p>Listeners run on the watcher's thread, one reload at a time; {@link #reload()} runs on the caller's.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    /** Quiet time after the last change event before reloading: editors write in several steps. */
    private static final long SETTLE_MS = 200;
    /** How often the file is checked when no event arrives. */
    private static final long POLL_MS = 2_000;
    /** The longest a reload waits for edits to settle. */
    private static final long SETTLE_MAX_MS = 2_000;
    private static final long CLOSE_WAIT_MS = 2_000;

    /** Told about every reload outcome. */
    public interface Listener {
        /** A new valid config replaced the running one. */
        void applied(JClawConfig config, List<ConfigProblem> warnings);

        /** The file changed but is invalid; the running config stays. */
        default void rejected(List<ConfigProblem> errors) {}
    }

    private final Path file;
    private final Map<String, String> env;
    private final Listener listener;
    private final WatchService watchService;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile JClawConfig current;
    private volatile Object lastStamp;

    private ConfigWatcher(Path file, Map<String, String> env, JClawConfig initial, Listener listener) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.env = Map.copyOf(env);
        this.current = Objects.requireNonNull(initial, "initial");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.lastStamp = stamp();
        this.watchService = FileSystems.getDefault().newWatchService();
        try {
            this.file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            watchService.close();
            throw e;
        }
        this.thread = Thread.ofVirtual().name("jclaw-config-watcher").unstarted(this::run); // waits on a queue: no platform thread needed
    }

    /**
     * Starts watching {@code file}, whose running config is {@code initial}.
     *
     * @throws IOException when the folder cannot be watched
     */
    public static ConfigWatcher start(Path file, Map<String, String> env, JClawConfig initial, Listener listener) throws IOException {
        ConfigWatcher watcher = new ConfigWatcher(file, env, initial, listener);
        watcher.thread.start();
        return watcher;
    }

    /** The config in effect. */
    public JClawConfig current() {
        return current;
    }

    /** Loads the file now and applies it if valid and changed; returns what loading found. */
    public synchronized ConfigResult reload() {
        lastStamp = stamp();
        ConfigResult result = ConfigLoader.load(file, env);
        switch (result) {
            case ConfigResult.Invalid invalid -> {
                log.warn("config reload rejected, keeping the running config:\n{}", new InvalidConfigException(file, invalid.errors()).getMessage());
                notify(() -> listener.rejected(invalid.errors()));
            }
            case ConfigResult.Valid valid -> {
                if (valid.config().equals(current)) return result;
                current = valid.config();
                valid.warnings().forEach(w -> log.warn("config {}: {}", file.getFileName(), w));
                log.info("config reloaded from {}", file);
                notify(() -> listener.applied(valid.config(), valid.warnings()));
            }
        }
        return result;
    }

    private void run() {
        try {
            long lastCheck = System.nanoTime();
            while (!closed.get()) {
                WatchKey key = watchService.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (key != null && drain(key)) {
                    settle();
                    reload();
                    lastCheck = System.nanoTime();
                } else if (System.nanoTime() - lastCheck >= TimeUnit.MILLISECONDS.toNanos(POLL_MS)) {
                    if (!Objects.equals(stamp(), lastStamp)) reload();
                    lastCheck = System.nanoTime();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("config watcher stopped: hot reload is off until the gateway restarts", e);
        }
    }

    /** Returns once no config event came for {@link #SETTLE_MS}, or after {@link #SETTLE_MAX_MS}. */
    private void settle() throws InterruptedException {
        long now = System.nanoTime();
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MS);
        long quietUntil = now + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        while (now < quietUntil && now < deadline) {
            WatchKey more = watchService.poll(Math.min(quietUntil, deadline) - now, TimeUnit.NANOSECONDS);
            now = System.nanoTime();
            if (more != null && drain(more)) quietUntil = now + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        }
    }

    /** Takes the key's events; true when one may concern the config (the file, a JSON file it may include, lost events). */
    private boolean drain(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || !(event.context() instanceof Path name)) {
                relevant = true;
                continue;
            }
            String n = name.toString();
            if (name.equals(file.getFileName()) || n.endsWith(".json") || n.endsWith(".json5")) relevant = true;
        }
        key.reset();
        return relevant;
    }

    /** Size and modification time of the file, or null when it is missing. */
    private Object stamp() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return List.of(modified, Files.size(file));
        } catch (IOException e) {
            return null;
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("config listener failed", e);
        }
    }

    /** Stops watching; waits at most 2 s for the watcher thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the watch service", e);
        }
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
