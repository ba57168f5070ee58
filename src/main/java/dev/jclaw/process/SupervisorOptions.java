package dev.jclaw.process;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a {@link ProcessSupervisor} runs.
 *
 * @param instanceId   this gateway instance: the value of every child's {@code JCLAW_OWNER}
 * @param runDir       where the ledger of live groups is kept (the state dir's {@code run/}); null keeps none
 * @param chain        a forced launch chain, or null to probe (or read {@code JCLAW_LAUNCH_CHAIN})
 * @param registry     where the meters go
 * @param spawnTimeout the longest a spawn may wait for the spawner thread
 */
public record SupervisorOptions(String instanceId, Path runDir, LaunchChain chain, MeterRegistry registry,
                                Duration spawnTimeout) {
    public SupervisorOptions {
        if (instanceId == null || instanceId.isBlank()) instanceId = newInstanceId();
        if (registry == null) registry = new SimpleMeterRegistry();
        if (spawnTimeout == null) spawnTimeout = Duration.ofSeconds(30);
    }

    public static SupervisorOptions defaults(Path runDir) {
        return new SupervisorOptions(null, runDir, null, null, null);
    }

    public SupervisorOptions withChain(LaunchChain chain) {
        return new SupervisorOptions(instanceId, runDir, chain, registry, spawnTimeout);
    }

    public SupervisorOptions withInstanceId(String instanceId) {
        return new SupervisorOptions(instanceId, runDir, chain, registry, spawnTimeout);
    }

    public SupervisorOptions withRegistry(MeterRegistry registry) {
        return new SupervisorOptions(instanceId, runDir, chain, registry, spawnTimeout);
    }

    /** A fresh id: "jc-" and 12 random hex digits. */
    public static String newInstanceId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "jc-" + HexFormat.of().formatHex(bytes);
    }
}
