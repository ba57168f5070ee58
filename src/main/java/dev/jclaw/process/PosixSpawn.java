package dev.jclaw.process;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Starts a child with glibc's {@code posix_spawn} through FFM, instead of {@link ProcessBuilder}.
 * <p>
 * Why by hand: {@code ProcessBuilder.start()} creates the JDK's process-reaper thread on the calling
 * thread, and a thread that has entered a child PID namespace for its children cannot create threads
 * (the kernel refuses {@code CLONE_THREAD} there); so the supervisor could not start children
 * directly into its namespace. {@code posix_spawn} creates no thread, it also makes the child lead a
 * process group of its own without exec'ing {@code setsid} first, and it execs the program directly
 * where the JDK execs its {@code jspawnhelper} first.
 * <p>
 * A new session ({@code POSIX_SPAWN_SETSID}) only when the gateway has a controlling terminal, so that
 * no child can reach it (TIOCSTI, /dev/tty); otherwise a new process group in the gateway's
 * terminal-less session ({@code POSIX_SPAWN_SETPGROUP}), which no child can give a terminal since
 * only a session leader acquires one. Either way pid = pgid and one {@code kill(-pgid)} reaches the
 * tree. Why not always a session: the exit of a session leader costs this kernel about 3 ms more
 * than a group leader's (measured by a C program, docs/BENCHMARKS.md), paid by every stop.
 * <p>
 * The child gets: stdin, stdout and stderr on fresh pipes (or /dev/null), every other descriptor
 * closed ({@code closefrom(3)}), an empty signal mask and default dispositions for every signal, the
 * given environment and working directory. Needs glibc 2.34 or newer ({@link #available()}).
 */
final class PosixSpawn {
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    /** glibc x86_64/aarch64 sizes are 336, 80 and 128 bytes; room to spare costs nothing. */
    private static final long ATTR_BYTES = 1024;
    private static final long ACTIONS_BYTES = 512;
    private static final long SIGSET_BYTES = 256;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Optional<Handles> HANDLES = Handles.link();

    private PosixSpawn() {}

    /** The linked glibc functions; absent when this libc lacks any of them (musl, glibc before 2.34). */
    private record Handles(MethodHandle spawn, MethodHandle attrInit, MethodHandle attrDestroy, MethodHandle attrSetFlags,
                           MethodHandle attrSetSigMask, MethodHandle attrSetSigDefault, MethodHandle attrSetPgroup, MethodHandle actionsInit,
                           MethodHandle actionsDestroy, MethodHandle addDup2, MethodHandle addOpen,
                           MethodHandle addChdir, MethodHandle addCloseFrom, MethodHandle sigEmpty, MethodHandle sigFill,
                           MethodHandle pipe2, MethodHandle close, MethodHandle strerror) {
        static Optional<Handles> link() {
            try {
                FunctionDescriptor ptr = FunctionDescriptor.of(JAVA_INT, ADDRESS);
                return Optional.of(new Handles(
                        find("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
                        find("posix_spawnattr_init", ptr),
                        find("posix_spawnattr_destroy", ptr),
                        find("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT)),
                        find("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                        find("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                        find("posix_spawnattr_setpgroup", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                        find("posix_spawn_file_actions_init", ptr),
                        find("posix_spawn_file_actions_destroy", ptr),
                        find("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
                        find("posix_spawn_file_actions_addopen",
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
                        find("posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                        find("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                        find("sigemptyset", ptr),
                        find("sigfillset", ptr),
                        LINKER.downcallHandle(symbol("pipe2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                                Linker.Option.captureCallState("errno")),
                        find("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
                        find("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT))));
            } catch (UnsatisfiedLinkError e) {
                return Optional.empty();
            }
        }

        private static MethodHandle find(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(symbol(name), descriptor);
        }

        private static MemorySegment symbol(String name) {
            return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        }
    }

    /** Whether this libc has everything a spawn needs. */
    static boolean available() {
        return HANDLES.isPresent();
    }

    /** A spawn the kernel refused, with its errno. */
    static final class SpawnException extends IOException {
        final int errno;

        SpawnException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }

    static final int ENOMEM = 12;

    /** Where the child's standard streams go. */
    enum Stdio { PIPES, NULL }

    /** Whether children get sessions of their own: only when the gateway has a controlling terminal to keep from them. */
    static final boolean NEW_SESSION = ProcScan.hasControllingTerminal();

    /**
     * Spawns {@code program} with {@code argv} (argv[0] included) as the leader of a new process group
     * (and session, see {@link #NEW_SESSION}).
     *
     * @param program an absolute path: nothing searches PATH here
     * @throws IOException naming the program and the errno when the spawn or the exec fails
     */
    static NativeProcess spawn(String program, List<String> argv, Map<String, String> env, Path cwd, Stdio stdio)
            throws IOException {
        return spawn(program, argv, env, cwd, stdio, NEW_SESSION);
    }

    /** As {@link #spawn(String, List, Map, Path, Stdio)}, choosing session or group explicitly (tests run both). */
    static NativeProcess spawn(String program, List<String> argv, Map<String, String> env, Path cwd, Stdio stdio,
                               boolean newSession) throws IOException {
        Handles h = HANDLES.orElseThrow(() -> new IOException("posix_spawn with closefrom is not available in this libc"));
        int[] in = null;
        int[] out = null;
        int[] err = null;
        FileOutputStream stdin = null;
        FileInputStream stdout = null;
        FileInputStream stderr = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_BYTES, 16);
            MemorySegment actions = arena.allocate(ACTIONS_BYTES, 16);
            MemorySegment sigs = arena.allocate(SIGSET_BYTES, 16);
            check(h, (int) h.attrInit.invokeExact(attr), "posix_spawnattr_init");
            check(h, (int) h.actionsInit.invokeExact(actions), "posix_spawn_file_actions_init");
            try {
                short leader = newSession ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP;
                check(h, (int) h.attrSetFlags.invokeExact(attr, (short) (leader | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)), "setflags");
                if (!newSession) check(h, (int) h.attrSetPgroup.invokeExact(attr, 0), "setpgroup");
                check(h, (int) h.sigEmpty.invokeExact(sigs), "sigemptyset");
                check(h, (int) h.attrSetSigMask.invokeExact(attr, sigs), "setsigmask");
                check(h, (int) h.sigFill.invokeExact(sigs), "sigfillset");
                check(h, (int) h.attrSetSigDefault.invokeExact(attr, sigs), "setsigdefault");
                if (stdio == Stdio.PIPES) {
                    in = pipe(h, arena);
                    out = pipe(h, arena);
                    err = pipe(h, arena);
                    // Our ends are opened again through /proc while both ends exist (so the open cannot
                    // block), giving the JDK's streams, with their blocking-I/O handling, their own fds.
                    stdin = new FileOutputStream(procFd(in[1]));
                    stdout = new FileInputStream(procFd(out[0]));
                    stderr = new FileInputStream(procFd(err[0]));
                    check(h, (int) h.addDup2.invokeExact(actions, in[0], 0), "adddup2");
                    check(h, (int) h.addDup2.invokeExact(actions, out[1], 1), "adddup2");
                    check(h, (int) h.addDup2.invokeExact(actions, err[1], 2), "adddup2");
                } else {
                    MemorySegment devNull = arena.allocateFrom("/dev/null");
                    for (int fd = 0; fd <= 2; fd++) {
                        check(h, (int) h.addOpen.invokeExact(actions, fd, devNull, fd == 0 ? O_RDONLY : O_RDWR, 0), "addopen");
                    }
                }
                if (cwd != null) check(h, (int) h.addChdir.invokeExact(actions, arena.allocateFrom(cwd.toString())), "addchdir");
                check(h, (int) h.addCloseFrom.invokeExact(actions, 3), "addclosefrom");

                MemorySegment pid = arena.allocate(JAVA_INT);
                int rc = (int) h.spawn.invokeExact(pid, arena.allocateFrom(program), actions, attr,
                        cStrings(arena, argv), cStrings(arena, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
                if (rc != 0) throw new SpawnException("cannot run " + program + ": " + strerror(h, rc) + " (errno " + rc + ")", rc);
                NativeProcess process = new NativeProcess(pid.get(JAVA_INT, 0), stdin, stdout, stderr);
                stdin = null; // the process owns them now
                stdout = null;
                stderr = null;
                return process;
            } finally {
                int ignored = (int) h.actionsDestroy.invokeExact(actions);
                ignored = (int) h.attrDestroy.invokeExact(attr);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("posix_spawn of " + program + " failed: " + t, t);
        } finally {
            closeAll(h, in);
            closeAll(h, out);
            closeAll(h, err);
            closeQuietly(stdin);
            closeQuietly(stdout);
            closeQuietly(stderr);
        }
    }

    private static String procFd(int fd) {
        return "/proc/self/fd/" + fd;
    }

    private static int[] pipe(Handles h, Arena arena) throws Throwable {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        MemorySegment state = arena.allocate(CALL_STATE);
        if ((int) h.pipe2.invokeExact(state, fds, O_CLOEXEC) != 0) {
            int errno = (int) ERRNO.get(state, 0L);
            throw new IOException("pipe2 failed: " + strerror(h, errno) + " (errno " + errno + ")");
        }
        return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    }

    private static MemorySegment cStrings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(Handles h, int rc, String what) throws IOException {
        if (rc != 0) throw new IOException(what + " failed: " + strerror(h, rc));
    }

    private static String strerror(Handles h, int errno) {
        try {
            return ((MemorySegment) h.strerror.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static void closeAll(Handles h, int[] fds) {
        if (h == null || fds == null) return;
        for (int fd : fds) {
            try {
                int ignored = (int) h.close.invokeExact(fd);
            } catch (Throwable ignored) {
                // nothing left to do with a descriptor that will not close
            }
        }
    }

    private static void closeQuietly(java.io.Closeable stream) {
        if (stream == null) return;
        try {
            stream.close();
        } catch (IOException ignored) {
            // a pipe end we never handed out
        }
    }
}
