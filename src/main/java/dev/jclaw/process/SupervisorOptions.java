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

    /**
     * A fresh id: "jc-" (or {@code JCLAW_INSTANCE_PREFIX}, when set to 1-32 characters of
     * {@code [A-Za-z0-9._-]}) and 12 random hex digits. The prefix lets whoever starts gateways (a
     * test run, a host with several of them) tell their processes apart by {@code JCLAW_OWNER}.
     */
    public static String newInstanceId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        String prefix = System.getenv("JCLAW_INSTANCE_PREFIX");
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]{1,32}")) prefix = "jc-";
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
