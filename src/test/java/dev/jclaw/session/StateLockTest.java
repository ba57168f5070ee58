package dev.jclaw.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateLockTest {
    @TempDir
    Path state;

    @Test
    void secondOwnerInTheSameProcessIsRefusedAndTheFirstKeepsItsLock() {
        try (StateLock first = StateLock.acquire(state, "gateway")) {
            assertThatThrownBy(() -> StateLock.acquire(state, "gateway")).isInstanceOf(StateLockedException.class)
                    .hasMessageContaining("is in use by another JClaw process")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(first.isHeld()).isTrue();
        }
        try (StateLock again = StateLock.acquire(state, "gateway")) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void closeIsIdempotent() {
        StateLock lock = StateLock.acquire(state, "gateway");
        lock.close();
        lock.close();
        assertThat(lock.isHeld()).isFalse();
    }
}
