package dev.jclaw.process;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineReaderTest {

    @Test
    void splitsLinesAcrossReadsAndDropsCarriageReturns() throws IOException {
        String text = "first\r\nsecond line\n\nthird é ü\nunterminated";
        assertThat(readAll(trickle(text.getBytes(StandardCharsets.UTF_8), 3), 1024))
                .containsExactly("first", "second line", "", "third é ü", "unterminated");
    }

    @Test
    void aLineLongerThanTheLimitFailsWithoutBufferingIt() {
        byte[] huge = new byte[300_000];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(huge), 100_000))
                .isInstanceOf(LineReader.LineTooLongException.class).hasMessageContaining("100000 bytes");
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws IOException {
        String line = "y".repeat(70_000);
        assertThat(readAll(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.US_ASCII)), 70_000)).containsExactly(line);
    }

    private static List<String> readAll(InputStream in, int max) throws IOException {
        List<String> lines = new ArrayList<>();
        new LineReader(in, max).pump(lines::add);
        return lines;
    }

    /** A stream that returns at most {@code step} bytes per read, as a pipe may. */
    private static InputStream trickle(byte[] bytes, int step) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }
}
