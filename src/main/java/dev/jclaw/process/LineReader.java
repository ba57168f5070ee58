package dev.jclaw.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a child's stdout into lines without ever holding more than {@code maxLineBytes} of one
 * line: a longer line is an error, never an OutOfMemoryError. A trailing CR is dropped.
 */
final class LineReader {
    /** Thrown when a line grows past the limit before its newline arrives. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int max) {
            super("stdout line longer than " + max + " bytes without a newline");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[64 * 1024];
    private byte[] partial = new byte[8 * 1024];
    private int partialLength;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads until end of stream, handing each complete line to {@code sink}. */
    void pump(Consumer<String> sink) throws IOException {
        int n;
        while ((n = in.read(chunk)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    sink.accept(line(start, i));
                    start = i + 1;
                }
            }
            keep(start, n);
        }
        if (partialLength > 0) {
            String last = decode(partial, 0, partialLength);
            partialLength = 0;
            sink.accept(last);
        }
    }

    private String line(int start, int end) throws LineTooLongException {
        if (partialLength == 0) return decode(chunk, start, end);
        keep(start, end);
        String line = decode(partial, 0, partialLength);
        partialLength = 0;
        if (partial.length > 1024 * 1024) partial = new byte[8 * 1024]; // do not pin a huge buffer after one big message
        return line;
    }

    private void keep(int start, int end) throws LineTooLongException {
        int length = end - start;
        if (length == 0) return;
        if ((long) partialLength + length > maxLineBytes) throw new LineTooLongException(maxLineBytes);
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(partial.length * 2, partialLength + length)));
        }
        System.arraycopy(chunk, start, partial, partialLength, length);
        partialLength += length;
    }

    private static String decode(byte[] bytes, int start, int end) {
        if (end > start && bytes[end - 1] == '\r') end--;
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
}
