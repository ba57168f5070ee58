package dev.jclaw.lane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where runs wait their turn, as OpenClaw orders them. A run first takes its session's lane
 * ({@code session:<key>}: one run per session at a time, first come first served), then its global
 * lane: {@code main} ({@code agents.defaults.maxConcurrent}, default 4), {@code subagent} (default
 * 8), and every other lane — {@code cron}, {@code nested}, {@code nested:<target>} — one at a time.
 * <p>
 * Waiting is bounded by the caller's limit and ends at once when the waiting thread is interrupted
 * (an aborted run); a run that gave up holds nothing. Lanes of sessions and targets exist only while
 * someone holds or waits for them.
 */
public final class Lanes {
    public static final String MAIN = "main";
    public static final String SUBAGENT = "subagent";
    public static final String CRON = "cron";
    public static final String NESTED = "nested";

    private final Lane main;
    private final Lane subagent;
    private final Map<String, Lane> dynamic = new ConcurrentHashMap<>();

    public Lanes(int mainConcurrency, int subagentConcurrency) {
        this.main = new Lane(MAIN, mainConcurrency);
        this.subagent = new Lane(SUBAGENT, subagentConcurrency);
    }

    /** The lane a nested (agent-to-agent) step on {@code targetSessionKey} runs in. */
    public static String nested(String targetSessionKey) {
        return NESTED + ":" + targetSessionKey;
    }

    private static final String SESSION_PREFIX = "session:";

    /**
     * Waits for the session's lane, then for {@code lane}, within {@code maxWait} in all.
     *
     * @throws LaneTimeoutException if the turn did not come within {@code maxWait} (nothing is held)
     * @throws InterruptedException if the waiting thread was interrupted (nothing is held)
     * @throws IllegalArgumentException for a lane named like a session's lane ({@code session:…})
     */
    public LanePermit enter(String sessionKey, String lane, Duration maxWait) throws InterruptedException {
        // Session lanes and named global lanes share one table: a global lane named like a session's would be
        // the same one-permit lane taken twice, and the run would wait on itself.
        if (lane.startsWith(SESSION_PREFIX)) throw new IllegalArgumentException("lane '" + lane + "': names starting with '"
                + SESSION_PREFIX + "' are the session lanes' own");
        long deadline = System.nanoTime() + maxWait.toNanos();
        Lane session = retain(SESSION_PREFIX + sessionKey);
        try {
            session.acquire(deadline);
        } catch (InterruptedException | RuntimeException e) {
            release(session);
            throw e;
        }
        Lane global;
        boolean dynamicGlobal = !lane.equals(MAIN) && !lane.equals(SUBAGENT);
        global = dynamicGlobal ? retain(lane) : lane.equals(MAIN) ? main : subagent;
        try {
            global.acquire(deadline);
        } catch (InterruptedException | RuntimeException e) {
            if (dynamicGlobal) release(global);
            session.semaphore.release();
            release(session);
            throw e;
        }
        return new LanePermit(() -> {
            global.semaphore.release();
            if (dynamicGlobal) release(global);
            session.semaphore.release();
            release(session);
        });
    }

    /** Applies new concurrency limits (a config reload); runs already admitted keep running. */
    public void resize(int mainConcurrency, int subagentConcurrency) {
        main.resize(mainConcurrency);
        subagent.resize(subagentConcurrency);
    }

    /** Each lane with what runs in it and what waits: main and subagent always, others while in use. */
    public List<LaneStatus> status() {
        List<LaneStatus> all = new ArrayList<>();
        all.add(main.status());
        all.add(subagent.status());
        dynamic.values().forEach(lane -> all.add(lane.status()));
        return all;
    }

    /** One lane's load: its limit, runs holding it, runs waiting for it. */
    public record LaneStatus(String name, int limit, int active, int waiting) {}

    private Lane retain(String name) {
        return dynamic.compute(name, (key, lane) -> {
            Lane l = lane == null ? new Lane(key, 1) : lane;
            l.users++;
            return l;
        });
    }

    private void release(Lane lane) {
        dynamic.computeIfPresent(lane.name, (key, current) -> --current.users == 0 ? null : current);
    }

    /** A fair (FIFO) semaphore with a limit that can change. */
    private static final class Lane {
        private final String name;
        private final ResizableSemaphore semaphore;
        private final AtomicInteger waiting = new AtomicInteger();
        private int limit;
        /** Holders and waiters, guarded by the map's compute. */
        private int users;

        Lane(String name, int limit) {
            this.name = name;
            this.limit = limit;
            this.semaphore = new ResizableSemaphore(limit);
        }

        void acquire(long deadlineNanos) throws InterruptedException {
            waiting.incrementAndGet();
            try {
                long left = deadlineNanos - System.nanoTime();
                if (!semaphore.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    throw new LaneTimeoutException("still waiting for lane " + name + " (" + (limit - semaphore.availablePermits())
                            + " running, limit " + limit + ") when the run's wait limit ran out");
                }
            } finally {
                waiting.decrementAndGet();
            }
        }

        synchronized void resize(int newLimit) {
            if (newLimit > limit) semaphore.release(newLimit - limit);
            else if (newLimit < limit) semaphore.reduce(limit - newLimit);
            limit = newLimit;
        }

        LaneStatus status() {
            return new LaneStatus(name, limit, Math.max(0, limit - semaphore.availablePermits()), waiting.get());
        }
    }

    private static final class ResizableSemaphore extends Semaphore {
        ResizableSemaphore(int permits) {
            super(permits, true);
        }

        void reduce(int by) {
            reducePermits(by);
        }
    }

    /** Releases the lanes a run holds, once. */
    public static final class LanePermit implements AutoCloseable {
        private final Runnable release;
        private final AtomicBoolean released = new AtomicBoolean();

        private LanePermit(Runnable release) {
            this.release = release;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) release.run();
        }
    }
}
