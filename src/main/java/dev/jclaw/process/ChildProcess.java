package dev.jclaw.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One child process tree, from spawn to reap.
 *
 * <h2>Design note: the one exit</h2>
 * Every way a child can end — its owner closes it, it exits by itself, its stdout breaks the line
 * limit, the supervisor shuts down — calls {@link #stop(ChildExit.Reason, String)}. The state goes
 * RUNNING → STOPPING → STOPPED by compare-and-set, so the stop sequence runs exactly once and every
 * other caller waits for its result, bounded by {@link StopPolicy#bound()}.
 * <p>
 * The sequence is bounded whatever the child does: close stdin (from another thread when a writer
 * blocked on a full pipe holds the stream's lock) → wait → SIGTERM the process group → wait → SIGKILL the group
 * → SIGKILL any process still carrying this child's {@code JCLAW_CHILD} marker (escapers that left
 * the group) → reap what the JVM adopted as subreaper → drop the ledger entry.
 * <p>
 * The launch chain started the child under {@code setsid}, so pid = pgid. While the JDK has not
 * reaped the leader its pid cannot be reused, so signalling the group is safe; after that, the group
 * is signalled only while a member still carries our marker.
 * <p>
 * Threads: one platform thread reads stdout (lines to {@link ChildSpec#onLine()}), one drains stderr
 * into a 64 KiB ring; both end when the tree is gone and are joined by the stop sequence.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    /** Marks every process JClaw starts with the gateway instance that owns it. */
    public static final String OWNER_ENV = "JCLAW_OWNER";
    /** Marks the owner scope (cohort) a process belongs to. */
    public static final String COHORT_ENV = "JCLAW_COHORT";
    /** Marks the one child tree a process belongs to; the escaper sweep kills by it. */
    public static final String CHILD_ENV = "JCLAW_CHILD";
    /** How long the stop sequence waits for a reader thread after the tree is gone. */
    private static final Duration READER_JOIN = Duration.ofSeconds(1);

    private enum State { RUNNING, STOPPING, STOPPED }

    private final ProcessSupervisor supervisor;
    private final ChildSpec spec;
    private final String id;
    private final Cohort cohort;
    private final Process process;
    private final int pgid;
    private final long startedNanos = System.nanoTime();
    private final OutputStream stdin;
    /** Held by a writer of stdin; a stop that finds it free closes stdin at once, else from another thread. */
    private final java.util.concurrent.locks.ReentrantLock stdinLock = new java.util.concurrent.locks.ReentrantLock();
    private final StderrTail stderr;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final CompletableFuture<ChildExit> exit = new CompletableFuture<>();

    ChildProcess(ProcessSupervisor supervisor, Cohort cohort, ChildSpec spec, String id, Process process) {
        this.supervisor = supervisor;
        this.cohort = cohort;
        this.spec = spec;
        this.id = id;
        this.process = process;
        this.pgid = Math.toIntExact(process.pid());
        this.stdin = process.getOutputStream();
        this.stderr = new StderrTail(spec.name());
        this.stdoutReader = Thread.ofPlatform().daemon().name("jclaw-stdout-" + spec.name()).stackSize(256 * 1024)
                .unstarted(this::readStdout);
        this.stderrReader = Thread.ofPlatform().daemon().name("jclaw-stderr-" + spec.name()).stackSize(256 * 1024)
                .unstarted(this::readStderr);
    }

    /** Starts the readers and the exit watch; called once, right after the process started. */
    void begin() {
        if (process instanceof NativeProcess spawned) spawned.watch(); // never on the spawner thread: see PidNamespace
        stdoutReader.start();
        stderrReader.start();
        process.onExit().thenRun(() -> {
            if (state.get() == State.RUNNING) {
                Thread.ofVirtual().name("jclaw-exit-" + spec.name()).start(() -> stop(ChildExit.Reason.EXITED,
                        "child '" + spec.name() + "' (pid " + pgid + ") exited with status " + exitCode()
                                + " after " + lifetime().toMillis() + " ms"));
            }
        });
    }

    public String name() {
        return spec.name();
    }

    /** The launcher's pid, which is also the tree's process group id. */
    public long pid() {
        return pgid;
    }

    public String cohortId() {
        return cohort.id();
    }

    /** This child's {@code JCLAW_CHILD} marker. */
    public String childId() {
        return id;
    }

    public boolean isAlive() {
        return state.get() == State.RUNNING && process.isAlive();
    }

    /** True once the stop sequence is over (set before the owner cohort is told). */
    boolean isStopped() {
        return state.get() == State.STOPPED;
    }

    public Duration lifetime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The last 64 KiB of stderr. */
    public String stderrTail() {
        return stderr.tail();
    }

    /** Completes once the tree is gone, however it ended. */
    public CompletableFuture<ChildExit> exit() {
        return exit.copy();
    }

    public Optional<ChildExit> exitIfDone() {
        return exit.isDone() ? Optional.of(exit.join()) : Optional.empty();
    }

    /**
     * Writes one line (a newline is appended) to the child's stdin. Thread-safe; may block while
     * the child does not read.
     *
     * @throws IllegalArgumentException if the line holds a newline (it would break the framing)
     * @throws IOException if the child is stopping or its stdin is closed
     */
    public void send(String line) throws IOException {
        if (line.indexOf('\n') >= 0) throw new IllegalArgumentException("a line sent to child '" + spec.name() + "' holds a newline");
        if (state.get() != State.RUNNING) throw new IOException("child '" + spec.name() + "' is " + state.get().name().toLowerCase());
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        stdinLock.lock();
        try {
            stdin.write(bytes);
            stdin.write('\n');
            stdin.flush();
        } finally {
            stdinLock.unlock();
        }
    }

    /** The launcher's exit status once it has exited, without waiting for the rest of the stop sequence. */
    public Optional<Integer> launcherExitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Stops the tree (the bounded stop sequence) and returns how it ended; idempotent. */
    public ChildExit stop() {
        return stop(ChildExit.Reason.STOPPED, "child '" + spec.name() + "' stopped by its owner");
    }

    @Override
    public void close() {
        stop();
    }

    ChildExit stop(ChildExit.Reason reason, String detail) {
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) return awaitStopped();
        ChildExit result;
        try {
            result = runStopSequence(reason, detail);
        } catch (RuntimeException | Error e) {
            log.error("stop sequence of child '{}' failed; killing its group", spec.name(), e);
            signalGroup(Native.SIGKILL);
            result = new ChildExit(spec.name(), pgid, exitCode(), reason, detail + " (stop failed: " + e + ")",
                    stderr.tail(), lifetime(), ChildExit.Escalation.KILL);
        } finally {
            state.set(State.STOPPED);
        }
        supervisor.stopped(this, result);
        cohort.stopped(this);
        exit.complete(result);
        return result;
    }

    private ChildExit awaitStopped() {
        long bound = spec.stop().bound().plus(READER_JOIN.multipliedBy(2)).toMillis();
        try {
            return exit.get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while child '" + spec.name() + "' was stopping", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("child '" + spec.name() + "' did not finish stopping within " + bound + " ms", e);
        }
    }

    private ChildExit runStopSequence(ChildExit.Reason reason, String detail) {
        StopPolicy policy = spec.stop();
        ChildExit.Escalation escalation = ChildExit.Escalation.NONE;
        boolean gone;
        if (reason == ChildExit.Reason.LINE_TOO_LONG) {
            gone = false; // a child flooding stdout gets no grace
        } else {
            if (stdinLock.tryLock()) { // no writer: close here, the common case
                try {
                    closeStdin();
                } finally {
                    stdinLock.unlock();
                }
            } else { // a writer blocked on a full pipe holds it: close beside it
                Thread.ofVirtual().name("jclaw-stdin-close-" + spec.name()).start(this::closeStdin);
            }
            gone = awaitTreeGone(policy.stdinGrace());
            if (!gone) {
                escalation = ChildExit.Escalation.TERM;
                supervisor.metrics().escalated(escalation);
                signalGroup(Native.SIGTERM);
                gone = awaitTreeGone(policy.termGrace());
            }
        }
        if (!gone) {
            escalation = ChildExit.Escalation.KILL;
            supervisor.metrics().escalated(escalation);
            signalGroup(Native.SIGKILL);
            if (!awaitTreeGone(policy.killWait())) {
                log.warn("child '{}' (group {}) still has members {} ms after SIGKILL", spec.name(), pgid, policy.killWait().toMillis());
            }
        }
        int escapers = supervisor.killEscapers(id);
        if (escapers > 0) log.info("child '{}': killed {} escaped process(es) carrying its marker", spec.name(), escapers);
        join(stdoutReader);
        join(stderrReader);
        closeQuietly();
        String fullDetail = escalation == ChildExit.Escalation.NONE ? detail
                : detail + " (needed SIG" + escalation + ")";
        return new ChildExit(spec.name(), pgid, exitCode(), reason, fullDetail, stderr.tail(), lifetime(), escalation);
    }

    /** True once the launcher has been reaped and no process of ours is left in its group. */
    private boolean treeGone() {
        if (process.isAlive()) return false;
        if (Native.killGroup(pgid, 0) == Native.SignalResult.NO_SUCH_PROCESS) return true;
        Reaper.reapGroup(pgid, pgid); // members the JVM adopted and that died are zombies until reaped
        return !groupHasOurMembers();
    }

    private boolean awaitTreeGone(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pauseMillis = 1;
        while (true) {
            if (treeGone()) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            long pause = Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            try {
                if (process.isAlive()) process.waitFor(pause, TimeUnit.MILLISECONDS);
                else Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // keep going: the sequence must finish, it is bounded anyway
            }
            pauseMillis = Math.min(pauseMillis * 2, 25);
        }
    }

    private void signalGroup(int signal) {
        if (!process.isAlive() && !groupHasOurMembers()) return;
        Native.killGroup(pgid, signal);
    }

    /** Whether a live member of our group still carries our marker (the pgid was not recycled). */
    private boolean groupHasOurMembers() {
        if (Native.killGroup(pgid, 0) == Native.SignalResult.NO_SUCH_PROCESS) return false;
        for (ProcScan.Stat member : ProcScan.all(s -> s.pgid() == pgid)) {
            if (member.zombie() || id.equals(ProcScan.markers(member.pid()).get(CHILD_ENV))) return true;
        }
        return false;
    }

    private void readStdout() {
        try {
            new LineReader(process.getInputStream(), spec.maxLineBytes()).pump(this::deliver);
        } catch (LineReader.LineTooLongException e) {
            log.warn("child '{}': {}; killing its tree", spec.name(), e.getMessage());
            Thread.ofVirtual().name("jclaw-overflow-" + spec.name()).start(() -> stop(ChildExit.Reason.LINE_TOO_LONG,
                    "child '" + spec.name() + "': " + e.getMessage() + "; its tree was killed"));
        } catch (IOException e) {
            if (state.get() == State.RUNNING) log.debug("child '{}': stdout closed: {}", spec.name(), e.toString());
        } finally {
            try {
                spec.onStdoutClosed().run();
            } catch (RuntimeException e) {
                log.warn("child '{}': stdout-closed handler failed", spec.name(), e);
            }
        }
    }

    private void deliver(String line) {
        try {
            spec.onLine().accept(line);
        } catch (RuntimeException e) {
            log.warn("child '{}': stdout line handler failed", spec.name(), e);
        }
    }

    private void readStderr() {
        try {
            stderr.pump(process.getErrorStream());
        } catch (IOException e) {
            log.debug("child '{}': stderr closed: {}", spec.name(), e.toString());
        }
    }

    private void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            log.debug("child '{}': closing stdin: {}", spec.name(), e.toString());
        }
    }

    private void join(Thread reader) {
        if (reader == Thread.currentThread()) return;
        try {
            if (!reader.join(READER_JOIN)) log.warn("child '{}': {} still running after the tree was stopped", spec.name(), reader.getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        closeStdin();
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
        } catch (IOException ignored) {
            // the pipes are gone with the tree
        }
    }

    private int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public String toString() {
        return "ChildProcess[" + spec.name() + ", pid " + pgid + ", " + state.get().name().toLowerCase() + "]";
    }
}
