package dev.jclaw.process;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StderrTailTest {

    @Test
    void keepsExactlyTheLastSixtyFourKibibytes() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 300_000; i++) text.append("line ").append(i).append('\n');
        StderrTail tail = new StderrTail("test");
        tail.pump(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)));

        assertThat(tail.bytesSeen()).isEqualTo(text.length());
        assertThat(tail.tail()).isEqualTo(text.substring(text.length() - StderrTail.CAPACITY));
    }

    @Test
    void aShortStreamIsKeptWhole() throws IOException {
        StderrTail tail = new StderrTail("test");
        tail.pump(new ByteArrayInputStream("Error: EADDRINUSE\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(tail.tail()).isEqualTo("Error: EADDRINUSE\n");
    }
}
