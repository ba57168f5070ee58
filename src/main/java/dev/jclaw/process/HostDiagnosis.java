package dev.jclaw.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code jclaw doctor} reports about process supervision on this host.
 *
 * @param chosen     the launch chain a supervisor would use here
 * @param detail     how it works on this host
 * @param chains     every chain and whether it works here
 * @param subreaper  whether this JVM could mark itself child subreaper
 * @param leftovers  processes carrying a {@code JCLAW_OWNER} marker right now
 */
public record HostDiagnosis(LaunchChain chosen, String detail, Map<LaunchChain, Boolean> chains, boolean subreaper,
                            List<Leftover> leftovers) {

    /** A process started by some JClaw gateway; {@code ownerAlive} tells if that gateway still runs. */
    public record Leftover(int pid, String owner, String cohort, boolean ownerAlive, String command) {}

    /** Probes this host; {@code runDir} holds the ledgers that tell live gateways from dead ones. */
    public static HostDiagnosis probe(Path runDir) {
        Map<LaunchChain, Boolean> chains = new LinkedHashMap<>();
        for (LaunchChain chain : LaunchChain.values()) {
            try {
                Launcher.forced(chain);
                chains.put(chain, true);
            } catch (IllegalStateException e) {
                chains.put(chain, false);
            }
        }
        Launcher best = Launcher.probe();
        boolean subreaper = Native.becomeSubreaper() && Native.isSubreaper();
        List<String> liveOwners = GroupLedger.liveInstances(runDir);
        List<Leftover> leftovers = new ArrayList<>();
        for (ProcScan.Stat s : ProcScan.all(s -> !s.zombie())) {
            Map<String, String> markers = ProcScan.markers(s.pid());
            String owner = markers.get(ChildProcess.OWNER_ENV);
            if (owner == null || owner.startsWith("probe-") || s.pid() == ProcessHandle.current().pid()) continue;
            leftovers.add(new Leftover(s.pid(), owner, markers.getOrDefault(ChildProcess.COHORT_ENV, ""),
                    liveOwners.contains(owner), ProcScan.commandLine(s.pid())));
        }
        return new HostDiagnosis(best.chain(), best.detail(), chains, subreaper, leftovers);
    }
}
