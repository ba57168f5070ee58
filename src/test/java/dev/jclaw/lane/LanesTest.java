package dev.jclaw.lane;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LanesTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void aGlobalLaneCannotBeNamedLikeASessionLane() throws Exception {
        Lanes lanes = new Lanes(4, 8);

        assertThatThrownBy(() -> lanes.enter("agent:a:main", "session:agent:a:main", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session lanes' own");
        try (Lanes.LanePermit permit = lanes.enter("agent:a:main", Lanes.MAIN, Duration.ofSeconds(1))) {
            assertThat(permit).as("nothing was left held by the refusal").isNotNull();
        }
    }

    @Test
    void runsOfOneSessionGoOneAtATimeInArrivalOrder() throws Exception {
        Lanes lanes = new Lanes(4, 8);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Lanes.LanePermit first = lanes.enter("agent:a:main", Lanes.MAIN, LONG);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (Lanes.LanePermit permit = lanes.enter("agent:a:main", Lanes.MAIN, LONG)) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    order.add(n);
                    Thread.sleep(10);
                    inside.decrementAndGet();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            await().until(() -> waiting(lanes, "session:agent:a:main") == n + 1); // queue them in a known order
        }
        first.close();
        for (Thread t : threads) t.join(5000);

        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(maxInside.get()).isEqualTo(1);
    }

    @Test
    void theMainLaneAdmitsMaxConcurrentRunsAcrossSessions() throws Exception {
        Lanes lanes = new Lanes(2, 8);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String session = "agent:a:s" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (Lanes.LanePermit permit = lanes.enter(session, Lanes.MAIN, LONG)) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    release.await();
                    inside.decrementAndGet();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await().until(() -> waiting(lanes, "main") == 4);
        assertThat(inside.get()).isEqualTo(2);
        release.countDown();
        for (Thread t : threads) t.join(5000);
        assertThat(maxInside.get()).isEqualTo(2);
    }

    @Test
    void nestedStepsToOneTargetAreSerialisedButDifferentTargetsRunTogether() throws Exception {
        Lanes lanes = new Lanes(4, 8);
        Lanes.LanePermit toB = lanes.enter("agent:b:main", Lanes.nested("agent:b:main"), LONG);
        Lanes.LanePermit toC = lanes.enter("agent:c:main", Lanes.nested("agent:c:main"), LONG);
        assertThatThrownBy(() -> lanes.enter("agent:b:other", Lanes.nested("agent:b:main"), Duration.ofMillis(100)))
                .isInstanceOf(LaneTimeoutException.class).hasMessageContaining("nested:agent:b:main");
        toB.close();
        toC.close();
        assertThat(lanes.status()).extracting(Lanes.LaneStatus::name).containsExactly("main", "subagent");
    }

    @Test
    void aQueuedRunThatTimesOutOrIsInterruptedHoldsNothing() throws Exception {
        Lanes lanes = new Lanes(1, 8);
        Lanes.LanePermit holder = lanes.enter("agent:a:one", Lanes.MAIN, LONG);
        assertThatThrownBy(() -> lanes.enter("agent:a:two", Lanes.MAIN, Duration.ofMillis(50))).isInstanceOf(LaneTimeoutException.class);

        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                lanes.enter("agent:a:three", Lanes.MAIN, LONG).close();
            } catch (InterruptedException expected) {
                // the abort path
            }
        });
        await().until(() -> waiting(lanes, "main") == 1);
        waiter.interrupt();
        waiter.join(2000);
        holder.close();

        assertThat(lanes.status()).containsExactly(new Lanes.LaneStatus("main", 1, 0, 0), new Lanes.LaneStatus("subagent", 8, 0, 0));
        lanes.enter("agent:a:two", Lanes.MAIN, Duration.ofMillis(100)).close(); // the session and main lanes are free again
    }

    @Test
    void resizingTheMainLaneTakesEffectForNewRuns() throws Exception {
        Lanes lanes = new Lanes(1, 8);
        Lanes.LanePermit one = lanes.enter("s1", Lanes.MAIN, LONG);
        lanes.resize(2, 8);
        Lanes.LanePermit two = lanes.enter("s2", Lanes.MAIN, Duration.ofMillis(200));
        lanes.resize(1, 8);
        one.close();
        assertThatThrownBy(() -> lanes.enter("s3", Lanes.MAIN, Duration.ofMillis(100))).isInstanceOf(LaneTimeoutException.class);
        two.close();
        lanes.enter("s3", Lanes.MAIN, Duration.ofMillis(100)).close();
    }

    private static int waiting(Lanes lanes, String name) {
        return lanes.status().stream().filter(s -> s.name().equals(name)).mapToInt(Lanes.LaneStatus::waiting).sum();
    }
}
