package dev.jclaw.provider;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1));

    @RepeatedTest(20)
    void backoffDoublesFromTheFirstWithJitterInItsUpperHalfAndStopsAtTheMax() {
        assertThat(policy.backoff(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(policy.backoff(2, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(policy.backoff(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(policy.backoff(4, null)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(policy.backoff(60, null)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
    }

    @Test
    void retryAfterIsUsedAsSentButNeverBeyondTheMax() {
        assertThat(policy.backoff(1, Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.backoff(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theDefaultIsThreeTriesFromHalfASecondToEightSeconds() {
        assertThat(RetryPolicy.DEFAULT).isEqualTo(new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8)));
        assertThat(RetryPolicy.DEFAULT.stallTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void nonsenseIsRefusedWithTheValues() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("at least 1, got 0");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("PT2S and PT1S");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO)).hasMessageContaining("stallTimeout must be positive");
    }
}
