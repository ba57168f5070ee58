package dev.jclaw.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads Linux {@code /proc}: process status lines, the JClaw markers in a process's initial
 * environment, and the boot id. Every read tolerates the process vanishing meanwhile.
 */
final class ProcScan {
    private static final Path PROC = Path.of("/proc");

    private ProcScan() {}

    /** One process as {@code /proc/<pid>/stat} shows it; startTime is in clock ticks since boot. */
    record Stat(int pid, int ppid, int pgid, int sid, char state, long startTime) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    static Optional<Stat> stat(long pid) {
        try {
            String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
            int close = line.lastIndexOf(')'); // the command name may itself hold spaces and parentheses
            String[] f = line.substring(close + 2).split(" ");
            return Optional.of(new Stat((int) pid, Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), f[0].charAt(0), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether this JVM has a controlling terminal ({@code tty_nr} of /proc/self/stat is not 0). */
    static boolean hasControllingTerminal() {
        try {
            String line = Files.readString(PROC.resolve("self").resolve("stat"), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(line.substring(line.lastIndexOf(')') + 2).split(" ")[4]) != 0;
        } catch (IOException | RuntimeException e) {
            return true; // unknown: keep children off whatever terminal there may be
        }
    }

    static List<Stat> all(Predicate<Stat> filter) {
        List<Stat> result = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, ProcScan::isPidDir)) {
            for (Path dir : dirs) {
                stat(Long.parseLong(dir.getFileName().toString())).filter(filter).ifPresent(result::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return result;
    }

    /** Pids whose initial environment has {@code name=value}; the scanning process itself excluded. */
    static List<Integer> withEnv(String name, String value) {
        byte[] needle = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Integer> result = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, ProcScan::isPidDir)) {
            for (Path dir : dirs) {
                int pid = Integer.parseInt(dir.getFileName().toString());
                if (pid != self && hasEntry(readEnviron(pid), needle)) result.add(pid);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return result;
    }

    /** Children of every thread of process {@code pid} (a child belongs to the thread that forked or adopted it). */
    static List<Integer> childrenOf(long pid) {
        List<Integer> result = new ArrayList<>();
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks, ProcScan::isPidDir)) {
            for (Path task : dirs) {
                try {
                    for (String child : Files.readString(task.resolve("children"), StandardCharsets.ISO_8859_1).strip().split(" ")) {
                        if (!child.isEmpty()) result.add(Integer.parseInt(child));
                    }
                } catch (IOException | NumberFormatException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return result;
    }

    /** The JCLAW_* entries of a process's initial environment (empty when unreadable or gone). */
    static Map<String, String> markers(int pid) {
        Map<String, String> result = new HashMap<>();
        byte[] env = readEnviron(pid);
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start > 6 && env[start] == 'J' && startsWith(env, start, "JCLAW_")) {
                    String entry = new String(env, start, i - start, StandardCharsets.UTF_8);
                    int eq = entry.indexOf('=');
                    if (eq > 0) result.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
                start = i + 1;
            }
        }
        return result;
    }

    static String commandLine(int pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Integer.toString(pid)).resolve("cmdline"));
            for (int i = 0; i < raw.length; i++) if (raw[i] == 0) raw[i] = ' ';
            return new String(raw, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    static String bootId() {
        try {
            return Files.readString(PROC.resolve("sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static byte[] readEnviron(int pid) {
        try {
            return Files.readAllBytes(PROC.resolve(Integer.toString(pid)).resolve("environ"));
        } catch (IOException | SecurityException e) {
            return new byte[0];
        }
    }

    private static boolean hasEntry(byte[] env, byte[] needle) {
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] env, int from, String prefix) {
        if (from + prefix.length() > env.length) return false;
        for (int i = 0; i < prefix.length(); i++) if (env[from + i] != prefix.charAt(i)) return false;
        return true;
    }

    private static boolean isPidDir(Path p) {
        String name = p.getFileName().toString();
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }
}
