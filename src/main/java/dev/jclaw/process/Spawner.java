package dev.jclaw.process;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one long-lived platform thread that forks every child. PR_SET_PDEATHSIG fires when the
 * *thread* that forked a child exits, not the process: spawning from a pool or a virtual thread
 * would kill children whenever that thread retired. Tasks are FutureTasks, which never throw, so
 * the thread cannot die of a failed spawn; it ends only at {@link #close()}, after every child.
 */
final class Spawner implements AutoCloseable {
    private static final FutureTask<Void> POISON = new FutureTask<>(() -> null);
    private final LinkedBlockingQueue<FutureTask<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    Spawner(String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    private void loop() {
        Native.clearAmbientCapabilities(); // nothing this thread starts inherits the gateway's namespace capabilities
        while (true) {
            FutureTask<?> task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() ends this thread
            }
            if (task == POISON) return;
            task.run();
        }
    }

    /** Runs {@code work} on the spawner thread and waits for it at most {@code limit}. */
    <T> T call(Callable<T> work, Duration limit) throws Exception {
        if (!thread.isAlive()) throw new IllegalStateException("the process supervisor is closed");
        FutureTask<T> task = new FutureTask<>(work);
        queue.add(task);
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } catch (TimeoutException e) {
            task.cancel(false);
            throw new TimeoutException("spawn did not complete within " + limit.toMillis() + " ms");
        }
    }

    boolean isSpawnerThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
        queue.add(POISON);
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
