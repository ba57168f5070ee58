package dev.jclaw.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts and ends every child process of the gateway. Nothing else in JClaw forks.
 *
 * <h2>Design note: no child tree outlives its owner</h2>
 * <ul>
 * <li>Children exist only inside a {@link Cohort}, an owner scope whose close stops them all.</li>
 * <li>Every child is started by one long-lived platform thread ({@link Spawner}), wrapped in the
 * best {@link LaunchChain} this host supports, leading a process group of its own (pid = pgid; a
 * session of its own when the gateway has a terminal), with
 * {@code JCLAW_OWNER}, {@code JCLAW_COHORT} and {@code JCLAW_CHILD} in its environment.</li>
 * <li>A {@link ChildProcess} owns each tree and ends it by one bounded sequence.</li>
 * <li>The JVM is child subreaper ({@link Reaper}), so escaped grandchildren stay ours to kill and reap.</li>
 * <li>The {@link GroupLedger} records live groups, so that after a crash the next start kills the
 * groups (and marked processes) the dead instance left, and only those.</li>
 * </ul>
 * Lower layers never call upward: this package knows nothing of MCP, agents or sessions.
 */
public final class ProcessSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);
    /** What a child inherits from the gateway's environment; everything else comes from its config. */
    static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "TZ", "TMPDIR", "XDG_RUNTIME_DIR");

    private enum State { RUNNING, CLOSING, CLOSED }

    private final SupervisorOptions options;
    private final Launcher launcher;
    private volatile LaunchThread launch;
    private final boolean subreaper;
    private final GroupLedger ledger;
    private final ProcessMetrics metrics;
    private final SweepReport sweep;
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    private final Set<Cohort> cohorts = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

    private ProcessSupervisor(SupervisorOptions options, Launcher launcher) {
        this.options = options;
        this.subreaper = Reaper.ensureStarted();
        this.launcher = launcher;
        this.metrics = new ProcessMetrics(options.registry(), live::size);
        this.sweep = GroupLedger.sweep(options.runDir(), this);
        if (sweep.processesKilled() > 0) {
            metrics.orphansSwept(sweep.processesKilled());
            log.warn("start-up sweep killed {} process(es) left by a gateway that did not shut down: {}",
                    sweep.processesKilled(), sweep.notes());
        }
        this.ledger = GroupLedger.open(options.runDir(), options.instanceId());
        try {
            this.launch = openLaunchThread();
        } catch (IllegalStateException e) {
            ledger.delete();
            throw e;
        }
        log.debug("process supervisor {} ready: launch chain {} ({}), subreaper {}", options.instanceId(),
                launcher.chain().id(), launcher.detail(), subreaper);
    }

    /** The spawner thread and the launch site it opened: replaced together when a PID namespace is lost. */
    private record LaunchThread(Spawner spawner, Launcher.Site site) {
        void close() {
            try {
                spawner.call(() -> {
                    site.close(); // the helper's death takes whatever is left in the namespace
                    return null;
                }, Duration.ofSeconds(10));
            } catch (Exception e) {
                log.warn("closing the launch site failed: {}", e.toString());
            }
            spawner.close();
        }
    }

    private LaunchThread openLaunchThread() {
        Spawner spawner = new Spawner("jclaw-spawner-" + options.instanceId() + "-" + sequence.incrementAndGet());
        try {
            return new LaunchThread(spawner, spawner.call(() -> launcher.open(helperEnv()), options.spawnTimeout()));
        } catch (Exception e) {
            spawner.close();
            throw new IllegalStateException("process supervisor " + options.instanceId() + ": cannot open launch chain "
                    + launcher.chain().id() + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code lost} (its namespace died) by a new spawner thread and namespace, once. */
    private synchronized LaunchThread renew(LaunchThread lost) {
        if (launch == lost) {
            requireRunning();
            launch = openLaunchThread();
            lost.close();
            log.warn("process supervisor {}: started a new PID namespace (helper pid {})", options.instanceId(),
                    launch.site().namespace().helperPid());
        }
        return launch;
    }

    /** The namespace helper's environment: the inherited allowlist and the owner marker, no cohort. */
    private Map<String, String> helperEnv() {
        Map<String, String> env = inheritedEnv();
        env.put(ChildProcess.OWNER_ENV, options.instanceId());
        env.put(PidNamespace.HELPER_ENV, "pidns");
        return env;
    }

    private static Map<String, String> inheritedEnv() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String name : INHERITED_ENV) {
            String value = System.getenv(name);
            if (value != null) env.put(name, value);
        }
        return env;
    }

    /** Starts a supervisor: probes the launch chain, sweeps what a crashed predecessor left, opens the ledger. */
    public static ProcessSupervisor start(SupervisorOptions options) {
        return new ProcessSupervisor(options, resolveLauncher(options.chain()));
    }

    private static Launcher resolveLauncher(LaunchChain forced) {
        if (forced != null) return Launcher.forced(forced);
        String fromEnv = System.getenv("JCLAW_LAUNCH_CHAIN");
        if (fromEnv != null && !fromEnv.isBlank()) return Launcher.forced(LaunchChain.parse(fromEnv));
        return Launcher.probe();
    }

    public String instanceId() {
        return options.instanceId();
    }

    public LaunchChain launchChain() {
        return launcher.chain();
    }

    /** A sentence on how the chain works on this host. */
    public String launchDetail() {
        return launcher.detail();
    }

    /**
     * The supervisor's own helper processes (the PID namespace's holder): empty unless the chain
     * keeps a namespace. They carry {@code JCLAW_OWNER} and {@code JCLAW_HELPER}, and end with the supervisor.
     */
    public List<Long> helperPids() {
        PidNamespace ns = launch.site().namespace();
        return ns == null ? List.of() : List.of((long) ns.helperPid());
    }

    public boolean isSubreaper() {
        return subreaper;
    }

    public SweepReport startupSweep() {
        return sweep;
    }

    public int liveChildren() {
        return live.size();
    }

    public List<ChildProcess> children() {
        return List.copyOf(live);
    }

    /**
     * Opens an owner scope for children.
     *
     * @param label what owns them (a runtime's scope key, say); shown in the marker and the ledger
     */
    public Cohort openCohort(String label) {
        requireRunning();
        Cohort cohort = new Cohort(this, options.instanceId() + ":" + label + "#" + sequence.incrementAndGet(), label);
        cohorts.add(cohort);
        if (state.get() != State.RUNNING) {
            cohort.close();
            requireRunning();
        }
        return cohort;
    }

    ChildProcess spawn(Cohort cohort, ChildSpec spec) throws ProcessStartException {
        requireRunning();
        String childId = options.instanceId() + ":" + sequence.incrementAndGet();
        Map<String, String> env = childEnv(spec, cohort.id(), childId);
        String program = resolveProgram(spec, env);
        if (spec.cwd() != null && !Files.isDirectory(spec.cwd())) {
            throw new ProcessStartException("child '" + spec.name() + "': working directory " + spec.cwd() + " does not exist", null);
        }
        ChildProcess child;
        try {
            LaunchThread current = launch;
            try {
                child = start(current, cohort, spec, childId, program, env);
            } catch (PidNamespace.LostException lost) {
                log.warn("{}; starting a new one for '{}'", lost.getMessage(), spec.name());
                child = start(renew(current), cohort, spec, childId, program, env);
            }
        } catch (IOException e) {
            throw new ProcessStartException("child '" + spec.name() + "': cannot start " + spec.command() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            killMarked(ChildProcess.CHILD_ENV, childId); // a spawn that timed out may still have started
            throw new ProcessStartException("child '" + spec.name() + "': spawn failed: " + e.getMessage(), e);
        }
        ledger.add((int) child.pid(), spec.name(), cohort.id(), childId);
        metrics.spawned();
        child.begin();
        return child;
    }

    private ChildProcess start(LaunchThread on, Cohort cohort, ChildSpec spec, String childId, String program,
                               Map<String, String> env) throws Exception {
        return on.spawner().call(() -> {
            Process process = on.site().start(program, spec.command(), env, spec.cwd());
            ChildProcess started = new ChildProcess(this, cohort, spec, childId, process);
            live.add(started);
            return started; // nothing here may start a thread: this is the spawner thread (see PidNamespace)
        }, options.spawnTimeout());
    }

    /** The configured env over the inherited allowlist, then the markers, which nothing overrides. */
    private Map<String, String> childEnv(ChildSpec spec, String cohortId, String childId) {
        Map<String, String> env = inheritedEnv();
        env.putAll(spec.env());
        env.remove(PidNamespace.HELPER_ENV);
        env.put(ChildProcess.OWNER_ENV, options.instanceId());
        env.put(ChildProcess.COHORT_ENV, cohortId);
        env.put(ChildProcess.CHILD_ENV, childId);
        return env;
    }

    /**
     * Finds the program on the child's PATH now (relative paths against its working directory), so a
     * typo is a clear error, not an exit status later; the result is the absolute path exec'd.
     */
    private static String resolveProgram(ChildSpec spec, Map<String, String> env) throws ProcessStartException {
        String program = spec.command().getFirst();
        if (program.contains("/")) {
            Path path = (spec.cwd() != null ? spec.cwd().resolve(program) : Path.of(program)).toAbsolutePath();
            if (Files.isExecutable(path) && !Files.isDirectory(path)) return path.toString();
            throw new ProcessStartException("child '" + spec.name() + "': " + program + " is not an executable file", null);
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, program);
            if (candidate != null && Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        throw new ProcessStartException("child '" + spec.name() + "': command '" + program + "' not found on PATH ("
                + path + ")", null);
    }

    /** Called once by each child when its stop sequence is over. */
    void stopped(ChildProcess child, ChildExit exit) {
        live.remove(child);
        ledger.remove((int) child.pid());
        metrics.exited();
        if (exit.reason() == ChildExit.Reason.EXITED || exit.reason() == ChildExit.Reason.LINE_TOO_LONG) {
            log.info("{}", exit.describe());
        }
    }

    void cohortClosed(Cohort cohort) {
        cohorts.remove(cohort);
    }

    ProcessMetrics metrics() {
        return metrics;
    }

    /** Stops children concurrently; returns when all are done (each stop is bounded). */
    void stopAll(List<ChildProcess> children, ChildExit.Reason reason) {
        if (children.isEmpty()) return;
        if (children.size() == 1) {
            children.getFirst().stop(reason, "child '" + children.getFirst().name() + "' stopped: " + reason.name().toLowerCase());
            return;
        }
        List<Thread> threads = new ArrayList<>();
        for (ChildProcess child : children) {
            threads.add(Thread.ofVirtual().name("jclaw-stop-" + child.name())
                    .start(() -> child.stop(reason, "child '" + child.name() + "' stopped: " + reason.name().toLowerCase())));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * SIGKILLs every process whose initial environment has {@code name=value}, waits (≤ 1 s) for
     * them to die and reaps those the JVM adopted.
     *
     * @return how many were killed
     */
    int killMarked(String name, String value) {
        List<Integer> pids = ProcScan.withEnv(name, value);
        if (pids.isEmpty()) return 0;
        killAndAwait(pids);
        if (!ChildProcess.OWNER_ENV.equals(name)) metrics.escapersKilled(pids.size());
        return pids.size();
    }

    /** SIGKILLs {@code pids}, waits (≤ 1 s in all) for them to die, and reaps those the JVM adopted. */
    private static void killAndAwait(List<Integer> pids) {
        for (int pid : pids) {
            if (pid != ProcessHandle.current().pid()) Native.killProcess(pid, Native.SIGKILL);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (int pid : pids) {
            while (System.nanoTime() < deadline && ProcScan.stat(pid).map(s -> !s.zombie()).orElse(false)) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            Reaper.reapIfZombieChild(pid);
        }
    }

    /**
     * SIGKILLs what is left of child tree {@code childId} outside its group (escapers that called
     * setsid or double-forked), and waits (≤ 1 s) for each to die, so that its own children are
     * re-parented and found by the next look. Called once the tree's group is gone.
     * <ul>
     * <li>Shared PID namespace: an escaper can only be among the processes the namespace's init
     * adopted, so only those are read; a stop that left nothing behind reads one small file, not
     * every process's environment.</li>
     * <li>A PID namespace per child: its init was in the group, and the kernel killed the rest of its
     * namespace before the init could be reaped; nothing can be left.</li>
     * <li>Otherwise every process on the host is read.</li>
     * </ul>
     *
     * @return how many were killed
     */
    int killEscapers(String childId) {
        if (launcher.chain() == LaunchChain.NAMESPACE_PER_CHILD) return 0;
        PidNamespace ns = launch.site().namespace();
        if (ns == null) return killMarked(ChildProcess.CHILD_ENV, childId);
        int killed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            List<Integer> found = new ArrayList<>();
            for (int pid : ns.orphans()) {
                if (childId.equals(ProcScan.markers(pid).get(ChildProcess.CHILD_ENV))) found.add(pid);
            }
            if (found.isEmpty()) break;
            killAndAwait(found);
            killed += found.size();
        }
        if (killed > 0) metrics.escapersKilled(killed);
        return killed;
    }

    private void requireRunning() {
        if (state.get() != State.RUNNING) throw new IllegalStateException("process supervisor " + options.instanceId() + " is closed");
    }

    /**
     * Stops every child (all cohorts concurrently, each bounded), then the spawner thread, then
     * deletes the ledger; idempotent.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.RUNNING, State.CLOSING)) return;
        List<Thread> closing = new ArrayList<>();
        for (Cohort cohort : List.copyOf(cohorts)) {
            closing.add(Thread.ofVirtual().start(() -> cohort.close(ChildExit.Reason.SUPERVISOR_CLOSED)));
        }
        for (Thread thread : closing) {
            try {
                thread.join(); // each cohort's close is bounded by its children's stop policies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopAll(List.copyOf(live), ChildExit.Reason.SUPERVISOR_CLOSED);
        synchronized (this) {
            launch.close();
        }
        killMarked(ChildProcess.OWNER_ENV, options.instanceId());
        ledger.delete();
        state.set(State.CLOSED);
    }
}
