package dev.jclaw.workspace;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An open directory, held by file descriptor, through FFM: {@code openat} with {@code O_NOFOLLOW} is
 * the one call Java lacks for walking a tree without following links (its SecureDirectoryStream
 * cannot create directories). Everything else goes through {@link #child}: {@code /proc/self/fd/N/name}
 * names the entry of exactly this directory, whatever happened to the path it was opened by.
 */
final class DirFd implements AutoCloseable {
    private static final int AT_FDCWD = -100;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;
    private static final int O_CLOEXEC = 0x80000;
    /** O_DIRECTORY and O_NOFOLLOW differ between architectures. */
    private static final int O_DIRECTORY;
    private static final int O_NOFOLLOW;

    static {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64") || arch.startsWith("arm")) {
            O_DIRECTORY = 0x4000;
            O_NOFOLLOW = 0x8000;
        } else {
            O_DIRECTORY = 0x10000;
            O_NOFOLLOW = 0x20000;
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPENAT = LINKER.downcallHandle(LINKER.defaultLookup().find("openat").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(3),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int fd;
    private boolean closed;

    private DirFd(int fd) {
        this.fd = fd;
    }

    /** Opens a directory by absolute path (links in it followed: the operator chose it). */
    static DirFd open(Path directory) throws IOException {
        return new DirFd(openat(AT_FDCWD, directory.toString(), O_DIRECTORY | O_CLOEXEC, directory.toString()));
    }

    /** Opens the subdirectory {@code name} of this one; a link there fails, it is never followed. */
    DirFd openChild(String name, String shownAs) throws IOException {
        return new DirFd(openat(fd, name, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, shownAs));
    }

    /** This directory, as a path the kernel resolves through the descriptor. */
    Path self() {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** The entry {@code name} of this directory. */
    Path child(String name) {
        return Path.of("/proc/self/fd/" + fd, name);
    }

    private static int openat(int dirFd, String name, int flags, String shownAs) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) OPENAT.invokeExact(state, dirFd, arena.allocateFrom(name), flags);
            if (rc >= 0) return rc;
            int errno = (int) ERRNO.get(state, 0L);
            throw switch (errno) {
                case ENOENT -> new NoSuchFileException(shownAs);
                case ENOTDIR -> new NotDirectoryException(shownAs);
                case ELOOP -> new PathRefusedException(shownAs + " is a symbolic link: not followed");
                default -> new FileSystemException(shownAs, null, "cannot open the directory (errno " + errno + ")");
            };
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openat failed", t);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") failed", t);
        }
    }
}
