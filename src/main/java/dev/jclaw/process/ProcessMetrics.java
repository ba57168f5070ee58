package dev.jclaw.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/** The supervisor's meters: live children, spawns, exits, escalations, orphans swept, escapers killed. */
final class ProcessMetrics {
    private final Counter spawned;
    private final Counter exited;
    private final Counter escalatedTerm;
    private final Counter escalatedKill;
    private final Counter orphansSwept;
    private final Counter escapersKilled;

    ProcessMetrics(MeterRegistry registry, Supplier<Number> live) {
        Gauge.builder("jclaw.process.children.live", live).description("Child process trees alive now").register(registry);
        spawned = Counter.builder("jclaw.process.spawned").description("Child trees started").register(registry);
        exited = Counter.builder("jclaw.process.exited").description("Child trees ended, for any reason").register(registry);
        escalatedTerm = Counter.builder("jclaw.process.escalations").tag("signal", "TERM")
                .description("Stops that had to signal the group").register(registry);
        escalatedKill = Counter.builder("jclaw.process.escalations").tag("signal", "KILL")
                .description("Stops that had to signal the group").register(registry);
        orphansSwept = Counter.builder("jclaw.process.orphans.swept")
                .description("Processes of a crashed gateway killed at start-up").register(registry);
        escapersKilled = Counter.builder("jclaw.process.escapers.killed")
                .description("Processes that left their group and were killed by their marker").register(registry);
        Gauge.builder("jclaw.process.reaped", Reaper::reapedCount).description("Adopted zombies reaped").register(registry);
    }

    void spawned() { spawned.increment(); }

    void exited() { exited.increment(); }

    void escalated(ChildExit.Escalation escalation) {
        (escalation == ChildExit.Escalation.KILL ? escalatedKill : escalatedTerm).increment();
    }

    void orphansSwept(int count) { orphansSwept.increment(count); }

    void escapersKilled(int count) { escapersKilled.increment(count); }
}
