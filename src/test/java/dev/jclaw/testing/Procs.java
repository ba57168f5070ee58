package dev.jclaw.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Independent /proc checks for tests: processes carrying a JClaw marker, zombie children of this
 * JVM, open fds, threads. Written apart from the code under test so a bug there cannot hide here.
 */
public final class Procs {
    private Procs() {}

    /** A live (non-zombie) process and its command line. */
    public record Proc(int pid, int ppid, int pgid, char state, String command) {
        @Override
        public String toString() {
            return pid + " (ppid " + ppid + ", pgid " + pgid + ", " + state + ") " + command;
        }
    }

    /** Live processes whose initial environment holds exactly {@code name=value}. */
    public static List<Proc> withEnv(String name, String value) {
        return withEnv(name, value, env -> true);
    }

    private static List<Proc> withEnv(String name, String value, java.util.function.Predicate<List<String>> also) {
        String needle = name + "=" + value;
        List<Proc> result = new ArrayList<>();
        for (int pid : pids()) {
            if (pid == ProcessHandle.current().pid()) continue;
            try {
                String env = Files.readString(Path.of("/proc", Integer.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
                List<String> entries = List.of(env.split("\0"));
                if (entries.contains(needle) && also.test(entries)) {
                    Proc p = proc(pid);
                    if (p != null && p.state() != 'Z') result.add(p);
                }
            } catch (IOException ignored) {
                // gone meanwhile
            }
        }
        return result;
    }

    /** Every live process started by the supervisor {@code ownerId}, its own helper included. */
    public static List<Proc> ownedBy(String ownerId) {
        return withEnv("JCLAW_OWNER", ownerId);
    }

    /**
     * The child trees of supervisor {@code ownerId}: what its cohorts started. Its PID-namespace
     * helper (marked {@code JCLAW_HELPER}), which lives as long as the supervisor, is not counted.
     */
    public static List<Proc> treesOf(String ownerId) {
        return withEnv("JCLAW_OWNER", ownerId, env -> env.stream().noneMatch(e -> e.startsWith("JCLAW_HELPER=")));
    }

    /** The supervisor's own helper processes (marked {@code JCLAW_HELPER}). */
    public static List<Proc> helpersOf(String ownerId) {
        return withEnv("JCLAW_OWNER", ownerId, env -> env.stream().anyMatch(e -> e.startsWith("JCLAW_HELPER=")));
    }

    /** Zombie children of this JVM. */
    public static List<Proc> zombieChildren() {
        int self = (int) ProcessHandle.current().pid();
        List<Proc> result = new ArrayList<>();
        for (int pid : pids()) {
            Proc p = proc(pid);
            if (p != null && p.ppid() == self && (p.state() == 'Z' || p.state() == 'X')) result.add(p);
        }
        return result;
    }

    /** Waits up to {@code limit} for no live process to carry {@code JCLAW_OWNER=ownerId}; returns what is left. */
    public static List<Proc> awaitNoneOwnedBy(String ownerId, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Proc> left = ownedBy(ownerId);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
            left = ownedBy(ownerId);
        }
        return left;
    }

    /** Waits up to {@code limit} for this JVM to have no zombie child; returns those left. */
    public static List<Proc> awaitNoZombies(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Proc> left = zombieChildren();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
            left = zombieChildren();
        }
        return left;
    }

    public static Proc proc(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String cmd = Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
            return new Proc(pid, Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[0].charAt(0), cmd);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static boolean isAlive(int pid) {
        Proc p = proc(pid);
        return p != null && p.state() != 'Z' && p.state() != 'X';
    }

    public static int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Live platform threads of this JVM. */
    public static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) pids.add(Integer.parseInt(dir.getFileName().toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
