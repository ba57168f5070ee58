package dev.jclaw.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a command in the launch chain chosen for this host. Every chain starts the child with
 * {@code setsid}, so its pid is also its process group id and one {@code kill(-pgid)} reaches the
 * tree; {@link #probe} finds the best chain that really works here, once per JVM.
 */
record Launcher(LaunchChain chain, List<String> prefix, String detail) {
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    /**
     * PID 1 of the child's namespace. PID 1 ignores signals it has no handler for and inherits
     * orphans, so the server must not be PID 1: this init runs it as PID 2, forwards TERM to every
     * process of the namespace, reaps, and exits with the server's status. Dash drops {@code <&0}
     * on a background job, hence fd 3.
     */
    static final String INIT = """
            trap 'kill -TERM -1 2>/dev/null' TERM INT HUP
            exec 3<&0
            "$@" <&3 3<&- &
            child=$!
            exec 3<&-
            while :; do wait "$child"; rc=$?; kill -0 "$child" 2>/dev/null || break; done
            exit "$rc"
            """;

    /**
     * Group leader of chain 2. Its parent-death signal is TERM, which also arrives on a graceful
     * group TERM and at each thread exit of a dying JVM; it tells them apart by its parent:
     * re-parented means the gateway died, and then it kills its whole group at once. It checks
     * again when its server exits, since a dying gateway's closed stdin can end the server first.
     * A server that exits before the re-parenting leaves its stragglers to the next start's sweep.
     */
    static final String WATCHDOG = """
            gw=$1; shift
            orphaned() { read -r _ _ _ pp _ </proc/$$/stat; [ "$pp" != "$gw" ]; }
            trap 'orphaned && kill -KILL 0' TERM
            exec 3<&0
            "$@" <&3 3<&- &
            child=$!
            exec 3<&-
            while :; do wait "$child"; rc=$?; kill -0 "$child" 2>/dev/null || break; done
            orphaned && kill -KILL 0
            exit "$rc"
            """;

    private static volatile Launcher probed;

    /** The full argv: chain prefix, then the command. */
    List<String> wrap(List<String> command) {
        List<String> argv = new ArrayList<>(prefix.size() + command.size() + 2);
        argv.addAll(prefix);
        if (chain == LaunchChain.SESSION_WATCHDOG) argv.add(Long.toString(ProcessHandle.current().pid()));
        argv.addAll(command);
        return argv;
    }

    /** The best chain that works on this host, probed once per JVM. */
    static Launcher probe() {
        Launcher result = probed;
        if (result == null) {
            synchronized (Launcher.class) {
                if (probed == null) probed = probeNow();
                result = probed;
            }
        }
        return result;
    }

    /** The given chain, or an error saying why this host cannot run it. */
    static Launcher forced(LaunchChain chain) {
        for (Launcher candidate : candidates()) {
            if (candidate.chain == chain && candidate.works()) return candidate;
        }
        throw new IllegalStateException("launch chain " + chain.id() + " does not work on this host"
                + " (needs " + switch (chain) {
                    case NAMESPACE -> "setpriv, setsid and unshare with PID namespaces";
                    case SESSION_WATCHDOG -> "setpriv and setsid";
                    case SESSION -> "setsid";
                } + " from util-linux)");
    }

    private static Launcher probeNow() {
        List<Launcher> candidates = candidates();
        for (Launcher candidate : candidates) {
            if (candidate.works()) {
                if (candidate.chain == LaunchChain.SESSION) {
                    log.warn("Launch chain 'session' only: if the gateway is killed, its MCP processes survive until"
                            + " the next start sweeps them. Install util-linux setpriv/unshare or enable user namespaces.");
                }
                return candidate;
            }
        }
        throw new IllegalStateException("no launch chain works on this host: even `setsid` failed."
                + " JClaw needs util-linux (setsid, setpriv, unshare) on PATH.");
    }

    private static List<Launcher> candidates() {
        boolean root = "root".equals(System.getProperty("user.name")) || isUidZero();
        String setpriv = which("setpriv");
        String setsid = which("setsid");
        String unshare = which("unshare");
        List<Launcher> list = new ArrayList<>();
        if (setpriv != null && setsid != null && unshare != null) {
            List<List<String>> userns = root
                    ? List.of(List.of())
                    : List.of(List.of("--user", "--map-current-user"), List.of("--user", "--map-root-user"));
            for (List<String> userFlags : userns) {
                List<String> prefix = new ArrayList<>(List.of(setpriv, "--pdeathsig", "KILL", "--", setsid, "--", unshare));
                prefix.addAll(userFlags);
                prefix.addAll(List.of("--pid", "--fork", "--kill-child", "--", "/bin/sh", "-c", INIT, "jclaw-init"));
                list.add(new Launcher(LaunchChain.NAMESPACE, List.copyOf(prefix),
                        userFlags.isEmpty() ? "PID namespace (root: no user namespace needed)"
                                : "PID namespace inside a user namespace (" + String.join(" ", userFlags) + ")"));
            }
        }
        if (setpriv != null && setsid != null) {
            list.add(new Launcher(LaunchChain.SESSION_WATCHDOG,
                    List.of(setpriv, "--pdeathsig", "TERM", "--", setsid, "--", "/bin/sh", "-c", WATCHDOG, "jclaw-watchdog"),
                    "new session, parent-death TERM to a watchdog that kills its group"));
        }
        if (setsid != null) {
            list.add(new Launcher(LaunchChain.SESSION, List.of(setsid, "--"), "new session only"));
        }
        return list;
    }

    /** Runs {@code echo} through this chain; it works when the output and exit status are right within 5 s. */
    private boolean works() {
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(wrap(List.of("/bin/sh", "-c", "echo jclaw-probe-ok")));
            Map<String, String> env = pb.environment();
            env.keySet().retainAll(List.of("PATH", "HOME", "LANG"));
            env.put(ChildProcess.OWNER_ENV, "probe-" + ProcessHandle.current().pid());
            pb.redirectErrorStream(true);
            p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) return false;
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = p.exitValue() == 0 && out.strip().equals("jclaw-probe-ok");
            if (!ok) log.debug("launch chain {} ({}) failed its probe: exit {} output {}", chain.id(), detail, p.exitValue(), out.strip());
            return ok;
        } catch (IOException e) {
            log.debug("launch chain {} failed its probe: {}", chain.id(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (p != null && p.isAlive()) p.destroyForcibly();
        }
    }

    private static boolean isUidZero() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
            }
        } catch (IOException ignored) {
            // fall through: assume not root, which only adds the user-namespace flags
        }
        return false;
    }

    private static String which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return null;
    }
}
