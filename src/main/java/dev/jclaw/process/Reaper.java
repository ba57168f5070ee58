package dev.jclaw.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM is the child subreaper of everything it starts: a grandchild whose parent dies is
 * re-parented to the JVM instead of init, so it stays within reach of our signals and sweeps. The
 * JVM must then reap those adopted pids, one by one with {@code waitpid(pid, WNOHANG)}; never
 * {@code waitpid(-1)}, which would steal the exit statuses of the JDK's own children.
 * <p>
 * Two ways in: a stop reaps the zombies of its own group at once ({@link #reapGroup}); a background
 * scan every {@link #SCAN_MILLIS} ms reaps any zombie child of the JVM seen in two scans in a row.
 * The JDK reaps its own children within microseconds of their exit, so a zombie that survives a whole
 * interval is an adopted one.
 */
final class Reaper {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    /** Interval of the background scan: a zombie costs only a pid slot, so seconds are fine. */
    private static final long SCAN_MILLIS = 2000;
    private static final AtomicLong reaped = new AtomicLong();
    private static boolean started;
    private static boolean subreaper;

    private Reaper() {}

    /** Marks the JVM as subreaper and starts the background scan, once per JVM. */
    static synchronized boolean ensureStarted() {
        if (!started) {
            started = true;
            subreaper = Native.becomeSubreaper();
            if (!subreaper) log.warn("could not mark the gateway as child subreaper; orphaned grandchildren go to init");
            Thread.ofPlatform().daemon().name("jclaw-reaper").stackSize(256 * 1024).start(Reaper::scanLoop);
        }
        return subreaper;
    }

    static long reapedCount() {
        return reaped.get();
    }

    /** Reaps zombie children of the JVM in group {@code pgid}, except {@code leader}, which the JDK owns. */
    static void reapGroup(int pgid, int leader) {
        int self = (int) ProcessHandle.current().pid();
        for (ProcScan.Stat s : ProcScan.all(s -> s.pgid() == pgid && s.ppid() == self && s.zombie() && s.pid() != leader)) {
            if (Native.reap(s.pid())) reaped.incrementAndGet();
        }
    }

    /**
     * Waits up to {@code limit} for group {@code pgid} to have no member, reaping members the JVM
     * adopted (they stay zombies, and so members, until reaped).
     */
    static boolean awaitGroupGone(int pgid, java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (Native.killGroup(pgid, 0) == Native.SignalResult.SENT) {
            reapGroup(pgid, -1);
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Reaps {@code pid} if it is an adopted zombie child of the JVM. */
    static void reapIfZombieChild(int pid) {
        int self = (int) ProcessHandle.current().pid();
        ProcScan.stat(pid).filter(s -> s.ppid() == self && s.zombie()).ifPresent(s -> {
            if (Native.reap(pid)) reaped.incrementAndGet();
        });
    }

    private static void scanLoop() {
        int self = (int) ProcessHandle.current().pid();
        Set<Long> previous = new HashSet<>();
        while (true) {
            try {
                Thread.sleep(SCAN_MILLIS);
                Set<Long> current = new HashSet<>();
                for (ProcScan.Stat s : ProcScan.all(s -> s.ppid() == self && s.zombie())) {
                    long key = ((long) s.pid() << 32) ^ s.startTime();
                    if (previous.contains(key)) {
                        if (Native.reap(s.pid())) reaped.incrementAndGet();
                    } else {
                        current.add(key);
                    }
                }
                previous = current;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("reaper scan failed", e);
            }
        }
    }
}
