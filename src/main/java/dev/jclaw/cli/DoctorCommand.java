package dev.jclaw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jclaw.config.StateDir;
import dev.jclaw.process.HostDiagnosis;
import dev.jclaw.process.LaunchChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jclaw doctor}: how process supervision works on this host, and what is left running. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Report the launch chain, namespace support, subreaper and leftover JClaw processes.")
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--state-dir", description = "State directory (default: JCLAW_STATE_DIR, OPENCLAW_STATE_DIR, ~/.jclaw).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Path state = stateDir != null ? stateDir : StateDir.resolve();
        HostDiagnosis d = HostDiagnosis.probe(StateDir.runDir(state));
        long orphans = d.leftovers().stream().filter(l -> !l.ownerAlive()).count();
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of(
                    "java", Runtime.version().toString(),
                    "launchChain", d.chosen().id(),
                    "launchDetail", d.detail(),
                    "chains", d.chains().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                            e -> e.getKey().id(), Map.Entry::getValue)),
                    "subreaper", d.subreaper(),
                    "leftovers", d.leftovers())));
            return orphans == 0 ? 0 : 1;
        }
        System.out.println("JClaw doctor");
        System.out.printf("  java          %s%n", Runtime.version());
        System.out.printf("  launch chain  %s: %s%n", d.chosen().id(), d.detail());
        for (Map.Entry<LaunchChain, Boolean> chain : d.chains().entrySet()) {
            System.out.printf("    %-17s %s%n", chain.getKey().id(), chain.getValue() ? "works" : "not available");
        }
        System.out.printf("  namespaces    %s%n", d.chains().get(LaunchChain.NAMESPACE)
                ? "one PID namespace per gateway: one helper process, one process per server; the kernel ends every tree if the gateway dies"
                : d.chains().get(LaunchChain.NAMESPACE_PER_CHILD)
                ? "a PID namespace per server (two more processes beside each): the kernel ends every tree if the gateway dies;"
                        + " run the gateway through ./jclaw (or as root) for one namespace per gateway"
                : "unavailable: a killed gateway's trees are ended by the watchdog or the next start's sweep");
        System.out.printf("  subreaper     %s%n", d.subreaper() ? "yes" : "no (orphaned grandchildren go to init)");
        if (d.leftovers().isEmpty()) {
            System.out.println("  leftovers     none: no process carries JCLAW_OWNER");
        } else {
            System.out.printf("  leftovers     %d process(es) carry JCLAW_OWNER:%n", d.leftovers().size());
            for (HostDiagnosis.Leftover l : d.leftovers()) {
                System.out.printf("    pid %-7d owner %s (%s)  %s%n", l.pid(), l.owner(),
                        l.ownerAlive() ? "gateway running" : "gateway gone: orphan", abbreviate(l.command()));
            }
            if (orphans > 0) System.out.println("  The next `jclaw gateway` start sweeps orphans it has a ledger for; others: kill them by pid.");
        }
        return orphans == 0 ? 0 : 1;
    }

    private static String abbreviate(String command) {
        return command.length() > 100 ? command.substring(0, 99) + "…" : command;
    }
}
