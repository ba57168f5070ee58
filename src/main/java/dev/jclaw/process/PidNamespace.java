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
 * One PID namespace per supervisor, whose init is the supervisor's one helper process:
 * {@code setpriv --pdeathsig KILL -- env --ignore-signal=CHLD sleep infinity}. When the gateway dies,
 * the helper dies by parent-death signal and the kernel kills every process of the namespace:
 * servers, their grandchildren and double-forked escapers. The helper's ignored SIGCHLD makes the
 * kernel reap the orphans it inherits.
 * <p>
 * The spawner thread moves its children into the namespace once ({@code unshare(CLONE_NEWPID)}
 * affects only the calling thread), so every server is a direct child of the JVM inside the
 * namespace, with nothing exec'd before it and no process of its own beside it. That needs
 * CAP_SYS_ADMIN in the JVM's user namespace: root has it, and {@code ./jclaw} gives an ordinary
 * user's gateway a user namespace of its own ({@code unshare --user --map-current-user --keep-caps}).
 * <p>
 * The kernel forbids a thread whose children go to another PID namespace to create threads, and
 * without CAP_SYS_ADMIN over the gateway's own namespace it cannot go back. So this class lives on
 * the spawner thread for good and never starts a thread: whatever needs one (a child's exit watch)
 * is started by the caller the spawn is handed to. The helper is watched by {@code waitpid(WNOHANG)}.
 */
final class PidNamespace implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PidNamespace.class);
    /** Marks the helper (with the owner's {@code JCLAW_OWNER}): it belongs to the supervisor, not to a cohort. */
    static final String HELPER_ENV = "JCLAW_HELPER";
    /** How long a new helper may take to become the namespace's PID 1, and to die when killed. */
    private static final long WAIT_MILLIS = 5000;

    private final Tools tools;
    private final Map<String, String> helperEnv;
    private int helper = -1; // the namespace's PID 1, as the gateway sees it; a child of the JVM

    /** The util-linux and coreutils programs the helper needs, resolved on PATH. */
    record Tools(String setpriv, String env, String sleep) {
        static Tools find() {
            return new Tools(Launcher.which("setpriv"), Launcher.which("env"), Launcher.which("sleep"));
        }

        boolean complete() {
            return setpriv != null && env != null && sleep != null;
        }
    }

    private PidNamespace(Tools tools, Map<String, String> helperEnv) {
        this.tools = tools;
        this.helperEnv = helperEnv;
    }

    /**
     * Creates the namespace and its helper; call on the thread that will spawn into it, which from
     * then on must not create threads.
     *
     * @throws IOException why this host cannot have it (the thread is then left as it was)
     */
    static PidNamespace open(Map<String, String> helperEnv) throws IOException {
        if (!PosixSpawn.available()) throw new IOException("posix_spawn with closefrom needs glibc 2.34 or newer");
        Tools tools = Tools.find();
        if (!tools.complete()) throw new IOException("needs setpriv (util-linux), env and sleep (coreutils) on PATH");
        if (!Native.hasSysAdmin()) throw new IOException("needs CAP_SYS_ADMIN in the gateway's user namespace");
        PidNamespace ns = new PidNamespace(tools, helperEnv);
        try {
            ns.startHelper();
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The helper's pid (the namespace's PID 1) as the gateway sees it. */
    int helperPid() {
        return helper;
    }

    /**
     * The helper died, and with it the namespace: nothing more can start in it, and this thread
     * cannot make another one. The supervisor starts a new spawner thread with a new namespace.
     */
    static final class LostException extends IOException {
        LostException(int helper) {
            super("the PID-namespace helper (pid " + helper + ") is gone, and with it every process of its namespace");
        }
    }

    /** Spawns a child into the namespace. Its exit watch must be started by the caller. */
    NativeProcess spawn(String program, List<String> argv, Map<String, String> env, Path cwd) throws IOException {
        if (helper <= 0 || Native.reap(helper)) throw new LostException(helper); // never let a child become PID 1
        try {
            return PosixSpawn.spawn(program, argv, env, cwd, PosixSpawn.Stdio.PIPES);
        } catch (PosixSpawn.SpawnException e) {
            // A dying init refuses forks into its namespace with ENOMEM until its last member is reaped.
            if (e.errno == PosixSpawn.ENOMEM && awaitHelperGone()) throw new LostException(helper);
            throw e;
        }
    }

    /** Whether the helper is gone or dying (≤ 1 s to tell); reaps it if so. */
    private boolean awaitHelperGone() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (Native.reap(helper)) return true;
            pause();
        }
        return false;
    }

    /** Processes the namespace's init adopted: where a tree's escapers end up once its members are gone. */
    List<Integer> orphans() {
        List<Integer> pids = new ArrayList<>();
        if (helper <= 0) return pids;
        try {
            String children = Files.readString(Path.of("/proc", Integer.toString(helper), "task", Integer.toString(helper), "children"),
                    StandardCharsets.ISO_8859_1);
            for (String pid : children.strip().split(" ")) if (!pid.isEmpty()) pids.add(Integer.parseInt(pid));
        } catch (IOException | NumberFormatException e) {
            // the helper is gone, and the namespace with it
        }
        return pids;
    }

    /** A new namespace for this thread's children (once per thread: the kernel allows no second), and its PID 1. */
    private void startHelper() throws IOException {
        int rc = Native.unshare(Native.CLONE_NEWPID);
        if (rc != 0) throw new IOException("unshare(CLONE_NEWPID) failed with errno " + rc + " (needs CAP_SYS_ADMIN)");
        helper = (int) PosixSpawn.spawn(tools.setpriv(), List.of(tools.setpriv(), "--pdeathsig", "KILL", "--",
                tools.env(), "--ignore-signal=CHLD", tools.sleep(), "infinity"), helperEnv, null, PosixSpawn.Stdio.NULL).pid();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!(ProcScan.commandLine(helper).endsWith("infinity") && nsPidDepth(helper) == 2)) {
            if (Native.reap(helper)) throw new IOException("the PID-namespace helper exited at once");
            if (System.nanoTime() > deadline) throw new IOException("the PID-namespace helper did not start within " + WAIT_MILLIS + " ms");
            pause();
        }
    }

    /** How many PID namespaces deep {@code pid} lives, from the NSpid line of its status (0 if unknown). */
    static int nsPidDepth(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("NSpid:")) return line.substring(6).strip().split("\\s+").length;
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the helper, and with it whatever is left in the namespace; waits (≤ 5 s) for it to be gone. */
    @Override
    public void close() {
        if (helper <= 0) return;
        if (!Native.reap(helper)) {
            Native.killProcess(helper, Native.SIGKILL);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (!Native.reap(helper) && System.nanoTime() < deadline) pause();
            if (System.nanoTime() >= deadline) log.warn("the PID-namespace helper {} was not gone {} ms after SIGKILL", helper, WAIT_MILLIS);
        }
        helper = -1;
    }
}
