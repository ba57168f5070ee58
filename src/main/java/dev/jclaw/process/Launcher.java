package dev.jclaw.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How children are started on this host: the launch chain, probed once per JVM ({@link #probe}),
 * and the per-supervisor {@link Site} it opens. Every chain starts the child as the leader of a
 * process group of its own (see {@link PosixSpawn}), so one {@code kill(-pgid)} reaches the tree.
 *
 * @param userFlags for {@link LaunchChain#NAMESPACE_PER_CHILD}: how {@code unshare} maps the user
 */
record Launcher(LaunchChain chain, List<String> userFlags, String detail) {
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    /**
     * PID 1 of a per-child namespace. PID 1 ignores signals it has no handler for and inherits
     * orphans, so the server must not be PID 1: this init runs it as PID 2, forwards TERM to every
     * process of the namespace, reaps, and exits with the server's status. Dash drops {@code <&0} on
     * a background job, hence fd 3.
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
     * Group leader of the watchdog chain. Its parent-death signal is TERM, which also arrives on a
     * graceful group TERM and at each thread exit of a dying JVM; it tells them apart by its parent:
     * re-parented means the gateway died, and then it kills its whole group at once. It checks
     * again when its server exits, since a dying gateway's closed stdin can end the server first.
     * A server that exits before the re-parenting leaves its stragglers to the next start's sweep.
     * Dash drops {@code <&0} on a background job, hence fd 3.
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
        throw unavailable(chain);
    }

    private static IllegalStateException unavailable(LaunchChain chain) {
        return new IllegalStateException("launch chain " + chain.id() + " does not work on this host"
                + " (needs " + switch (chain) {
                    case NAMESPACE -> "CAP_SYS_ADMIN in the gateway's user namespace (root, or the one ./jclaw gives an ordinary"
                            + " user), glibc 2.34+, setpriv (util-linux) and env --ignore-signal (coreutils 8.31+)";
                    case NAMESPACE_PER_CHILD -> "setpriv and unshare (util-linux) with PID namespaces: root, or user namespaces";
                    case SESSION_WATCHDOG -> "setpriv and setsid";
                    case SESSION -> "setsid";
                } + ")");
    }

    private static Launcher probeNow() {
        for (Launcher candidate : candidates()) {
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
        boolean nativeSpawn = PosixSpawn.available();
        String how = nativeSpawn ? "posix_spawn" : "ProcessBuilder";
        List<Launcher> list = new ArrayList<>();
        if (nativeSpawn) {
            list.add(new Launcher(LaunchChain.NAMESPACE, List.of(),
                    "one PID namespace per gateway, entered for each spawn (setns): one helper process per gateway,"
                            + " nothing exec'd before a child"));
        }
        List<List<String>> userns = Native.hasSysAdmin()
                ? List.of(List.of())
                : List.of(List.of("--user", "--map-current-user"), List.of("--user", "--map-root-user"));
        for (List<String> userFlags : userns) {
            list.add(new Launcher(LaunchChain.NAMESPACE_PER_CHILD, userFlags,
                    "a PID namespace per child" + (userFlags.isEmpty() ? "" : " inside a user namespace (" + String.join(" ", userFlags) + ")")
                            + ", " + how + ": unshare and an sh init beside each server"));
        }
        list.add(new Launcher(LaunchChain.SESSION_WATCHDOG, List.of(),
                "new session (" + how + "), parent-death TERM to a watchdog per child that kills its group"));
        list.add(new Launcher(LaunchChain.SESSION, List.of(), "new session only (" + how + ")"));
        return list;
    }

    /**
     * Opens this chain for one supervisor; call on its spawner thread, which every later
     * {@link Site#start} must also run on.
     *
     * @param helperEnv the environment of the namespace helper (the owner's markers)
     */
    Site open(Map<String, String> helperEnv) throws IOException {
        PidNamespace namespace = chain == LaunchChain.NAMESPACE ? PidNamespace.open(helperEnv) : null;
        return new Site(this, namespace, PosixSpawn.available());
    }

    /**
     * One supervisor's place to start children: its PID namespace, if the chain has one. Used on the
     * spawner thread only.
     */
    static final class Site implements AutoCloseable {
        private final Launcher launcher;
        private final PidNamespace namespace;
        private final boolean nativeSpawn;
        private final String setpriv = which("setpriv");
        private final String setsid = which("setsid");
        private final String unshare = which("unshare");

        private Site(Launcher launcher, PidNamespace namespace, boolean nativeSpawn) {
            this.launcher = launcher;
            this.namespace = namespace;
            this.nativeSpawn = nativeSpawn;
        }

        /** Null unless the chain keeps a PID namespace. */
        PidNamespace namespace() {
            return namespace;
        }

        /**
         * Starts {@code argv} (whose program {@code program} is resolved to an absolute path) as the
         * leader of a process group of its own. A {@link NativeProcess} comes back unwatched: the caller, not the
         * spawner thread, starts its watch (see {@link PidNamespace}).
         */
        Process start(String program, List<String> argv, Map<String, String> env, Path cwd) throws IOException {
            if (namespace != null) return namespace.spawn(program, argv, env, cwd);
            List<String> wrapped = new ArrayList<>();
            if (launcher.chain == LaunchChain.NAMESPACE_PER_CHILD) {
                wrapped.addAll(List.of(setpriv, "--pdeathsig", "KILL", "--"));
                if (!nativeSpawn) wrapped.addAll(List.of(setsid, "--"));
                wrapped.add(unshare);
                wrapped.addAll(launcher.userFlags);
                wrapped.addAll(List.of("--pid", "--fork", "--kill-child", "--", "/bin/sh", "-c", INIT, "jclaw-init"));
            } else if (launcher.chain == LaunchChain.SESSION_WATCHDOG) {
                wrapped.addAll(List.of(setpriv, "--pdeathsig", "TERM", "--"));
                if (!nativeSpawn) wrapped.addAll(List.of(setsid, "--"));
                wrapped.addAll(List.of("/bin/sh", "-c", WATCHDOG, "jclaw-watchdog", Long.toString(ProcessHandle.current().pid())));
            } else if (!nativeSpawn) {
                wrapped.addAll(List.of(setsid, "--"));
            }
            if (nativeSpawn) {
                if (wrapped.isEmpty()) return PosixSpawn.spawn(program, argv, env, cwd, PosixSpawn.Stdio.PIPES);
                wrapped.add(program);
                wrapped.addAll(argv.subList(1, argv.size()));
                return PosixSpawn.spawn(wrapped.getFirst(), wrapped, env, cwd, PosixSpawn.Stdio.PIPES);
            }
            wrapped.add(program);
            wrapped.addAll(argv.subList(1, argv.size()));
            ProcessBuilder builder = new ProcessBuilder(wrapped);
            builder.environment().clear();
            builder.environment().putAll(env);
            if (cwd != null) builder.directory(cwd.toFile());
            return builder.start();
        }

        @Override
        public void close() {
            if (namespace != null) namespace.close();
        }
    }

    /**
     * Runs a child through this chain; it works when the child answers and, for the namespace chain,
     * when its own child is really in a PID namespace of its own. A throwaway thread plays the
     * spawner (a namespace would pin the caller's thread); it holds the site open until the probe is
     * over, since the helper dies with the thread that started it.
     */
    private boolean works() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            String value = System.getenv(name);
            if (value != null) env.put(name, value);
        }
        env.put(ChildProcess.OWNER_ENV, "probe-" + ProcessHandle.current().pid());
        CompletableFuture<Process> started = new CompletableFuture<>();
        CountDownLatch probed = new CountDownLatch(1);
        Thread spawner = Thread.ofPlatform().daemon().name("jclaw-launch-probe").start(() -> {
            Native.clearAmbientCapabilities();
            Site site = null;
            try {
                site = open(env);
                started.complete(site.start("/bin/sh", List.of("/bin/sh", "-c", "echo jclaw-probe-ok $(grep NSpid /proc/self/status)"), env, null));
                probed.await(15, TimeUnit.SECONDS);
            } catch (Throwable t) {
                started.completeExceptionally(t);
            } finally {
                if (site != null) site.close();
            }
        });
        Process p = null;
        try {
            p = started.get(10, TimeUnit.SECONDS);
            if (p instanceof NativeProcess spawned) spawned.watch();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) return false;
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean ok = p.exitValue() == 0 && out.startsWith("jclaw-probe-ok");
            if (ok && (chain == LaunchChain.NAMESPACE || chain == LaunchChain.NAMESPACE_PER_CHILD)) ok = out.split("\\s+").length >= 4; // "NSpid:" and two pids
            if (!ok) log.debug("launch chain {} ({}) failed its probe: exit {} output {}", chain.id(), detail, p.exitValue(), out);
            return ok;
        } catch (Exception e) {
            log.debug("launch chain {} ({}) failed its probe: {}", chain.id(), detail, e.toString());
            return false;
        } finally {
            if (p != null && p.isAlive()) p.destroyForcibly();
            probed.countDown();
            try {
                spawner.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return null;
    }
}
