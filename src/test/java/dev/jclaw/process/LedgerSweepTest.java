package dev.jclaw.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.testing.Fixtures;
import dev.jclaw.testing.Procs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up sweep kills what a dead gateway left, and nothing else. */
class LedgerSweepTest extends SupervisorTestSupport {
    private final List<Process> strays = new ArrayList<>();

    @AfterEach
    void killStrays() throws InterruptedException {
        for (Process p : strays) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLedgerRecordsEachLiveGroupAndForgetsItWhenStopped() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        Path ledger = stateDir.resolve("run").resolve("supervisor-" + supervisor.instanceId() + ".json");
        try (Cohort cohort = supervisor.openCohort("ledger")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("recorded", Fixtures.chaosChild()));
            // Written off the spawn path, soon after it.
            GroupLedger.Snapshot live = awaitLedger(ledger, s -> !s.groups().isEmpty());
            assertThat(live.groups()).singleElement().satisfies(g -> {
                assertThat(g.pgid()).isEqualTo((int) child.pid());
                assertThat(g.startTime()).isEqualTo(ProcScan.stat(child.pid()).orElseThrow().startTime());
                assertThat(g.child()).isEqualTo(child.childId());
            });
            assertThat(live.bootId()).isEqualTo(ProcScan.bootId());

            child.stop();

            assertThat(awaitLedger(ledger, s -> s.groups().isEmpty()).groups()).isEmpty();
        }
    }

    @Test
    void aRecycledPidIsNeverTakenForADeadGatewaysGroup() throws Exception {
        Process bystander = stray(List.of("setsid", "sleep", "600"), null);
        int pgid = (int) bystander.pid();
        long start = ProcScan.stat(pgid).orElseThrow().startTime();
        writeDeadLedger("jc-deadbeef0001", ProcScan.bootId(), new GroupLedger.Group(pgid, start + 1, "old", "c", "x"));

        ProcessSupervisor supervisor = supervisor();

        assertThat(supervisor.startupSweep().processesKilled()).isZero();
        assertThat(bystander.isAlive()).isTrue();
        assertThat(stateDir.resolve("run").resolve("supervisor-jc-deadbeef0001.json")).doesNotExist();
    }

    @Test
    void aLedgerFromAnEarlierBootKillsNothing() throws Exception {
        Process bystander = stray(List.of("setsid", "sleep", "600"), null);
        int pgid = (int) bystander.pid();
        long start = ProcScan.stat(pgid).orElseThrow().startTime();
        writeDeadLedger("jc-deadbeef0002", "another-boot", new GroupLedger.Group(pgid, start, "old", "c", "x"));

        ProcessSupervisor supervisor = supervisor();

        assertThat(supervisor.startupSweep().processesKilled()).isZero();
        assertThat(supervisor.startupSweep().notes()).anyMatch(n -> n.contains("earlier boot"));
        assertThat(bystander.isAlive()).isTrue();
    }

    @Test
    void aDeadGatewaysGroupsAndMarkedEscapersAreKilledAndCounted() throws Exception {
        String dead = "jc-deadbeef0003";
        Process member = stray(List.of("setsid", "sh", "-c", "sleep 600 & wait"), dead);
        Process escaper = stray(List.of("setsid", "sleep", "600"), dead);
        int pgid = (int) member.pid();
        ChildLifecycleTest.awaitUntil(dead, procs -> procs.size() >= 3);
        writeDeadLedger(dead, ProcScan.bootId(),
                new GroupLedger.Group(pgid, ProcScan.stat(pgid).orElseThrow().startTime(), "old", "c", "x"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(stateDir.resolve("run")).withRegistry(registry));
        try {
            assertThat(supervisor.startupSweep().processesKilled()).isEqualTo(3);
            assertThat(member.waitFor(2, TimeUnit.SECONDS)).isTrue();
            assertThat(escaper.waitFor(2, TimeUnit.SECONDS)).isTrue();
            assertThat(Procs.ownedBy(dead)).isEmpty();
            assertThat(registry.get("jclaw.process.orphans.swept").counter().count()).isEqualTo(3);
        } finally {
            supervisor.close();
        }
    }

    @Test
    void metricsCountSpawnsExitsAndEscalations() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(stateDir.resolve("run")).withRegistry(registry));
        try (Cohort cohort = supervisor.openCohort("metrics")) {
            cohort.spawn(ChildSpec.of("polite", Fixtures.chaosChild()));
            ChildProcess stubborn = cohort.spawn(ChildSpec.of("stubborn", Fixtures.chaosChild("--ignore-term", "--ignore-eof")).withStop(QUICK));
            assertThat(registry.get("jclaw.process.children.live").gauge().value()).isEqualTo(2);

            stubborn.stop();
        } finally {
            supervisor.close();
        }
        assertThat(registry.get("jclaw.process.spawned").counter().count()).isEqualTo(2);
        assertThat(registry.get("jclaw.process.exited").counter().count()).isEqualTo(2);
        assertThat(registry.get("jclaw.process.escalations").tag("signal", "TERM").counter().count()).isEqualTo(1);
        assertThat(registry.get("jclaw.process.escalations").tag("signal", "KILL").counter().count()).isEqualTo(1);
        assertThat(registry.get("jclaw.process.children.live").gauge().value()).isZero();
    }

    private Process stray(List<String> command, String owner) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (owner != null) builder.environment().put(ChildProcess.OWNER_ENV, owner);
        Process p = builder.redirectErrorStream(true).start();
        strays.add(p);
        return p;
    }

    private void writeDeadLedger(String instance, String bootId, GroupLedger.Group group) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dir = Files.createDirectories(stateDir.resolve("run"));
        new ObjectMapper().writeValue(dir.resolve("supervisor-" + instance + ".json").toFile(),
                new GroupLedger.Snapshot(instance, gone.pid(), 1, bootId, List.of(group)));
    }

    private static GroupLedger.Snapshot read(Path ledger) throws Exception {
        return new ObjectMapper().readValue(ledger.toFile(), GroupLedger.Snapshot.class);
    }

    /** The ledger once it satisfies {@code condition} (≤ 5 s), else as it last was. */
    private static GroupLedger.Snapshot awaitLedger(Path ledger, java.util.function.Predicate<GroupLedger.Snapshot> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        GroupLedger.Snapshot snapshot = read(ledger);
        while (!condition.test(snapshot) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            snapshot = read(ledger);
        }
        return snapshot;
    }
}
