package dev.jclaw.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a child's stderr on its own thread so a flood never stalls stdout: keeps the last
 * {@link #CAPACITY} bytes for error messages and forwards lines to the log, rate-limited.
 */
final class StderrTail {
    private static final Logger log = LoggerFactory.getLogger("dev.jclaw.process.stderr");
    /** Bytes of stderr kept per child: enough for a stack trace, small enough for hundreds of children. */
    static final int CAPACITY = 64 * 1024;
    /** A logged line is cut here; the ring keeps it whole. */
    private static final int MAX_LOGGED_LINE = 2048;
    /** Log budget per child: lines per second, and the burst allowed. */
    private static final double LINES_PER_SECOND = 20;
    private static final double BURST = 100;

    private final String name;
    private final byte[] ring = new byte[CAPACITY];
    private long written;
    private final StringBuilder line = new StringBuilder();
    private final byte[] lineBytes = new byte[MAX_LOGGED_LINE];
    private int lineLength;
    private boolean lineTruncated;
    private double tokens = BURST;
    private long lastRefill = System.nanoTime();
    private long suppressed;

    StderrTail(String name) {
        this.name = name;
    }

    /** Reads until end of stream. */
    void pump(InputStream in) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
            append(chunk, n);
        }
        if (lineLength > 0) emitLine();
        if (suppressed > 0) log.info("[{}] {} stderr lines not logged (rate limit)", name, suppressed);
    }

    private void append(byte[] chunk, int n) {
        synchronized (ring) {
            int skip = Math.max(0, n - CAPACITY);
            written += skip;
            int pos = (int) (written % CAPACITY);
            int length = n - skip;
            int first = Math.min(length, CAPACITY - pos);
            System.arraycopy(chunk, skip, ring, pos, first);
            System.arraycopy(chunk, skip + first, ring, 0, length - first);
            written += length;
        }
        for (int i = 0; i < n; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                emitLine();
            } else if (lineLength < MAX_LOGGED_LINE) {
                lineBytes[lineLength++] = b;
            } else {
                lineTruncated = true;
            }
        }
    }

    private void emitLine() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - lastRefill) / 1e9 * LINES_PER_SECOND);
        lastRefill = now;
        if (tokens >= 1) {
            tokens--;
            if (suppressed > 0) {
                log.info("[{}] {} stderr lines not logged (rate limit)", name, suppressed);
                suppressed = 0;
            }
            line.setLength(0);
            line.append(new String(lineBytes, 0, lineLength, StandardCharsets.UTF_8).stripTrailing());
            if (lineTruncated) line.append(" …");
            log.info("[{}] {}", name, line);
        } else {
            suppressed++;
        }
        lineLength = 0;
        lineTruncated = false;
    }

    /** The last bytes of stderr (at most {@link #CAPACITY}), decoded leniently. */
    String tail() {
        synchronized (ring) {
            int size = (int) Math.min(written, CAPACITY);
            byte[] out = new byte[size];
            long from = written - size;
            for (int i = 0; i < size; i++) out[i] = ring[(int) ((from + i) % CAPACITY)];
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    long bytesSeen() {
        synchronized (ring) {
            return written;
        }
    }
}
