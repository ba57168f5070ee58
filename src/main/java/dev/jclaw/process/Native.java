package dev.jclaw.process;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls Java does not offer, through FFM (no JNA): {@code kill} for process groups,
 * {@code prctl} for the child subreaper flag, {@code waitpid} for adopted pids, {@code getpgrp}.
 * Every signal to a group passes {@link #killGroup}, which refuses the JVM's own group.
 */
final class Native {
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    static final int ESRCH = 3;
    static final int ECHILD = 10;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int PR_GET_CHILD_SUBREAPER = 37;
    private static final int WNOHANG = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle KILL = downcall("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle WAITPID = downcall("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle PRCTL = downcall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GETPGRP = downcall("getpgrp", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle WAITID = downcall("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle UNSHARE = downcall("unshare",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final int CLONE_NEWPID = 0x20000000;
    private static final int EINTR = 4;
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private Native() {}

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** Outcome of a signal: delivered, no such process (or group), or another errno. */
    enum SignalResult { SENT, NO_SUCH_PROCESS, FAILED }

    /** The JVM's own process group: never a target of {@link #killGroup}. */
    static int ownGroup() {
        try {
            return (int) GETPGRP.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpgrp failed", t);
        }
    }

    /**
     * Sends {@code signal} to every process of group {@code pgid}; signal 0 only tests that the group
     * has members. Refuses pgid ≤ 1 and the JVM's own group: a group kill must never reach the gateway.
     */
    static SignalResult killGroup(int pgid, int signal) {
        if (pgid <= 1 || pgid == ownGroup()) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid
                    + " (the gateway's own group is " + ownGroup() + ")");
        }
        return kill(-pgid, signal);
    }

    /** Sends {@code signal} to one process. */
    static SignalResult killProcess(int pid, int signal) {
        if (pid <= 1 || pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("refusing to signal pid " + pid);
        }
        return kill(pid, signal);
    }

    private static SignalResult kill(int target, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) KILL.invokeExact(state, target, signal);
            if (rc == 0) return SignalResult.SENT;
            return (int) ERRNO.get(state, 0L) == ESRCH ? SignalResult.NO_SUCH_PROCESS : SignalResult.FAILED;
        } catch (Throwable t) {
            throw new IllegalStateException("kill(" + target + ", " + signal + ") failed", t);
        }
    }

    /**
     * Reaps {@code pid} if it is a zombie child of the JVM: {@code waitpid(pid, WNOHANG)}, never
     * {@code waitpid(-1)}, which would steal exit statuses the JDK waits for.
     *
     * @return true when the pid was reaped or is no longer our child
     */
    static boolean reap(int pid) {
        if (pid <= 0) throw new IllegalArgumentException("refusing waitpid(" + pid + "): it would reap children the JDK waits for");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) WAITPID.invokeExact(state, pid, status, WNOHANG);
            if (rc == pid) return true;
            return rc < 0 && (int) ERRNO.get(state, 0L) == ECHILD;
        } catch (Throwable t) {
            throw new IllegalStateException("waitpid(" + pid + ") failed", t);
        }
    }

    /**
     * Blocks until child {@code pid} has exited, without reaping it ({@code waitid(WNOWAIT)}), so its
     * pid stays ours until {@link #reapExited} takes the status.
     *
     * @return false if {@code pid} is not (or no longer) a child of the JVM
     */
    static boolean awaitExit(int pid) {
        if (pid <= 0) throw new IllegalArgumentException("refusing waitid(" + pid + ")");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment info = arena.allocate(128, 8);
            while (true) {
                int rc = (int) WAITID.invokeExact(state, P_PID, pid, info, WEXITED | WNOWAIT);
                if (rc == 0) return true;
                if ((int) ERRNO.get(state, 0L) != EINTR) return false;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("waitid(" + pid + ") failed", t);
        }
    }

    /**
     * Reaps exited child {@code pid} and returns its status as the JDK reports it: the exit code, or
     * 128 + the signal that killed it; -1 if it was not ours to reap.
     */
    static int reapExited(int pid) {
        if (pid <= 0) throw new IllegalArgumentException("refusing waitpid(" + pid + ")");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) WAITPID.invokeExact(state, pid, status, 0);
            if (rc != pid) return -1;
            int raw = status.get(ValueLayout.JAVA_INT, 0);
            int signal = raw & 0x7f;
            return signal == 0 ? (raw >> 8) & 0xff : 0x80 + signal;
        } catch (Throwable t) {
            throw new IllegalStateException("waitpid(" + pid + ") failed", t);
        }
    }

    /** {@code unshare(flags)} for the calling thread; 0 or the errno. */
    static int unshare(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) UNSHARE.invokeExact(state, flags) == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("unshare failed", t);
        }
    }

    /** {@code setns(fd, nstype)} for the calling thread; 0 or the errno. */
    static int setns(int fd, int nstype) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) SETNS.invokeExact(state, fd, nstype) == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("setns failed", t);
        }
    }

    /** Opens {@code path} read-only, close-on-exec; the fd, or -errno. */
    static int openReadOnly(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC, 0);
            return fd >= 0 ? fd : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("open(" + path + ") failed", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") failed", t);
        }
    }

    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final int CAP_SYS_ADMIN = 21;

    /**
     * Clears the calling thread's ambient capabilities, so the programs it execs do not inherit the
     * CAP_SYS_ADMIN that {@code ./jclaw} gives an ordinary user's gateway inside its own user namespace.
     */
    static void clearAmbientCapabilities() {
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
    }

    /** Whether this process holds CAP_SYS_ADMIN (in its own user namespace), from /proc/self/status. */
    static boolean hasSysAdmin() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << CAP_SYS_ADMIN)) != 0;
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // unknown: assume not
        }
        return false;
    }

    /** Marks the JVM as child subreaper: orphaned descendants re-parent to it, not to init. */
    static boolean becomeSubreaper() {
        return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
    }

    static boolean isSubreaper() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flag = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) PRCTL.invokeExact(PR_GET_CHILD_SUBREAPER, flag.address(), 0L, 0L, 0L);
            return rc == 0 && flag.get(ValueLayout.JAVA_INT, 0) != 0;
        } catch (Throwable t) {
            return false;
        }
    }

    private static int prctl(int option, long arg) {
        try {
            return (int) PRCTL.invokeExact(option, arg, 0L, 0L, 0L);
        } catch (Throwable t) {
            return -1;
        }
    }
}
