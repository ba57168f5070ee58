package dev.jclaw.provider;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak checks rely on the thread dump listing virtual threads; this keeps them honest. */
class ThreadDumpCheckTest {
    @Test
    void theThreadDumpSeesALiveVirtualThreadByName() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread probe = Thread.ofVirtual().name("jclaw-model probe").start(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(ProviderFixture.threadsNamed("jclaw-model probe")).isEqualTo(1);
        release.countDown();
        probe.join();
        assertThat(ProviderFixture.threadsNamed("jclaw-model probe")).isZero();
    }
}
