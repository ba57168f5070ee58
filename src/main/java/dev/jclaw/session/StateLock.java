package dev.jclaw.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one-writer guarantee of a state dir: a gateway (or {@code jclaw import-openclaw}) holds an
 * exclusive OS lock on {@code <state>/gateway.lock} for as long as it runs, so a second one on the
 * same state dir is refused with a message naming the holder. The kernel drops the lock when the
 * holder dies, even by kill -9, so there is never a stale lock to clean up. Readers
 * ({@code jclaw sessions}) take no lock.
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file drops them, so
 * a second owner inside this JVM is refused from a registry before a descriptor is opened.
 */
public final class StateLock implements AutoCloseable {
    static final String FILE = "gateway.lock";
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path stateDir;
    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StateLock(Path stateDir, FileChannel channel, FileLock lock) {
        this.stateDir = stateDir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code stateDir} (created if missing), never waiting.
     *
     * @throws StateLockedException when another process, or another owner in this JVM, holds it
     */
    public static StateLock acquire(Path stateDir, String purpose) {
        Path dir = stateDir.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE);
        if (!HELD_HERE.add(dir)) throw new StateLockedException(dir, "pid " + ProcessHandle.current().pid() + ", this process");
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = readAll(channel);
                channel.close();
                throw new StateLockedException(dir, holder);
            }
            String owner = "pid " + ProcessHandle.current().pid() + " on " + hostName() + " since " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " (" + purpose + ")";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new StateLock(dir, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(dir);
            closeQuietly(channel);
            if (e instanceof IOException io) throw new UncheckedIOException("cannot lock state dir " + dir, io);
            throw (RuntimeException) e;
        }
    }

    private static String readAll(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // fill
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    /** The state dir this lock guards. */
    public Path stateDir() {
        return stateDir;
    }

    /** Whether this lock is still held. */
    public boolean isHeld() {
        return !closed.get() && lock.isValid();
    }

    /** Releases the lock. The file stays: deleting it would let two processes each lock a different file. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD_HERE.remove(stateDir);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
