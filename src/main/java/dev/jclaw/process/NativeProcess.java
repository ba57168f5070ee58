package dev.jclaw.process;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child started by {@link PosixSpawn}, behind the {@link Process} API the rest of the package
 * already speaks. Its exit is watched by one small platform thread that waits without reaping
 * ({@code waitid(WNOWAIT)}), then reaps under this object's lock: so a signal sent through
 * {@link #destroy} can never reach a recycled pid. The watch must be started with {@link #watch()}
 * from a thread that may create threads (not from inside a PID-namespace spawn window).
 */
final class NativeProcess extends Process {
    private final int pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile boolean watching;
    private int exitCode = -1; // guarded by this; set once reaped
    private boolean reaped; // guarded by this

    NativeProcess(int pid, OutputStream stdin, InputStream stdout, InputStream stderr) {
        this.pid = pid;
        this.stdin = stdin == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(stdin, 8192);
        this.stdout = stdout == null ? InputStream.nullInputStream() : stdout;
        this.stderr = stderr == null ? InputStream.nullInputStream() : stderr;
    }

    /** Starts the exit watch; idempotent. */
    NativeProcess watch() {
        synchronized (exit) {
            if (!watching) {
                watching = true;
                Thread.ofPlatform().daemon().name("jclaw-wait-" + pid).stackSize(128 * 1024).start(this::awaitExit);
            }
        }
        return this;
    }

    private void awaitExit() {
        boolean ours = Native.awaitExit(pid);
        synchronized (this) {
            exitCode = ours ? Native.reapExited(pid) : -1;
            reaped = true;
        }
        exit.complete(this);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return exitValue();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public synchronized int exitValue() {
        if (!reaped) throw new IllegalThreadStateException("process " + pid + " has not exited");
        return exitCode;
    }

    @Override
    public synchronized boolean isAlive() {
        return !reaped;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.copy();
    }

    @Override
    public void destroy() {
        signal(Native.SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(Native.SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public ProcessHandle toHandle() {
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " is gone"));
    }

    private synchronized void signal(int signal) {
        if (!reaped) Native.killProcess(pid, signal);
    }

    @Override
    public String toString() {
        return "NativeProcess[pid=" + pid + (isAlive() ? "" : ", exit " + exitCode) + "]";
    }
}
