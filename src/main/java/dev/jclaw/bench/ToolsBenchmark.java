package dev.jclaw.bench;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.policy.ToolPolicies;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionReader;
import dev.jclaw.tools.AgentServices;
import dev.jclaw.tools.BuiltinTools;
import dev.jclaw.tools.Tool;
import dev.jclaw.tools.ToolContext;
import dev.jclaw.tools.ToolOutput;
import dev.jclaw.tools.TurnHandle;
import dev.jclaw.tools.TurnRequest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The file tools on a 1 MB file, called as a run calls them, against the plainest Java doing the same
 * work in the same run: {@code read} of the first window (2000 lines) and of the last one (the whole
 * file scanned), {@code edit} of one line (read, match, atomic write with fsync), and the confined
 * workspace's no-follow walk against plain path resolution.
 */
public final class ToolsBenchmark {
    /** One comparison: the tool and its baseline, in microseconds. */
    public record Row(String what, Stats tool, Stats baseline) {
        public double ratioP50() {
            return baseline.p50() == 0 ? 0 : (double) tool.p50() / baseline.p50();
        }
    }

    private ToolsBenchmark() {}

    public static List<Row> run(int iterations, int warmup, PrintStream progress) throws Exception {
        Path dir = Files.createTempDirectory("jclaw-bench-tools");
        try {
            Path workspace = Files.createDirectories(dir.resolve("workspace/a/b/c/d"));
            Path file = workspace.resolve("big.txt");
            StringBuilder text = new StringBuilder();
            for (int i = 0; text.length() < 1_000_000; i++) text.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
            Files.writeString(file, text);
            int lines = text.toString().split("\n").length;
            progress.printf("  file: %d bytes, %d lines%n", Files.size(file), lines);
            JClawConfig config = ConfigLoader.parse("{ agents: { list: [ { id: \"bench\", workspace: \"" + dir.resolve("workspace") + "\" } ] } }",
                    dir.resolve("jclaw.json"), Map.of("HOME", dir.toString(), "JCLAW_STATE_DIR", dir.resolve("state").toString())).orElseThrow();
            AgentConfig agent = config.agent("bench").orElseThrow();
            Map<String, Tool> tools = new java.util.HashMap<>();
            for (Tool tool : new BuiltinTools().allowedBy(ToolPolicies.resolve(config, agent))) tools.put(tool.name(), tool);
            ToolContext context = new ToolContext("bench", "bench", SessionKey.parse("agent:bench:main"), Instant.now().plusSeconds(3600),
                    new ConfigOnly(config));
            String path = "a/b/c/d/big.txt";
            List<Row> rows = new ArrayList<>();

            rows.add(compare("read, first 2000 lines", iterations, warmup,
                    () -> call(tools.get("read"), context, Map.of("path", path)),
                    () -> firstLines(file, 2000)));
            rows.add(compare("read, last window (offset " + (lines - 100) + ")", iterations, warmup,
                    () -> call(tools.get("read"), context, Map.of("path", path, "offset", lines - 100)),
                    () -> lastLines(file, lines - 100)));
            int[] counter = {0};
            rows.add(compare("edit, one line (atomic write, fsync)", iterations, warmup,
                    () -> {
                        int i = counter[0]++;
                        String from = i % 2 == 0 ? "line 5000: the quick" : "line 5000: a quick";
                        String to = i % 2 == 0 ? "line 5000: a quick" : "line 5000: the quick";
                        call(tools.get("edit"), context, Map.of("path", path, "edits", List.of(Map.of("oldText", from, "newText", to))));
                    },
                    () -> {
                        int i = counter[0]++;
                        String from = i % 2 == 0 ? "line 5000: the quick" : "line 5000: a quick";
                        String to = i % 2 == 0 ? "line 5000: a quick" : "line 5000: the quick";
                        plainEdit(file, from, to);
                    }));
            dev.jclaw.workspace.WorkspaceFs confined = dev.jclaw.workspace.WorkspaceFs.host(dir.resolve("workspace"), true);
            dev.jclaw.workspace.WorkspaceFs open = dev.jclaw.workspace.WorkspaceFs.host(dir.resolve("workspace"), false);
            rows.add(compare("open a file 5 levels deep: confined walk vs plain path", iterations * 10, warmup * 10,
                    () -> confined.openRead(path).close(), () -> open.openRead(path).close()));
            return rows;
        } finally {
            Scratch.delete(dir);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Row compare(String what, int iterations, int warmup, Step tool, Step baseline) throws Exception {
        for (int i = 0; i < warmup; i++) {
            tool.run();
            baseline.run();
        }
        long[] toolMicros = new long[iterations];
        long[] baseMicros = new long[iterations];
        for (int i = 0; i < iterations; i++) { // interleaved, so a noisy moment hits both sides
            long t0 = System.nanoTime();
            tool.run();
            long t1 = System.nanoTime();
            baseline.run();
            long t2 = System.nanoTime();
            toolMicros[i] = (t1 - t0) / 1000;
            baseMicros[i] = (t2 - t1) / 1000;
        }
        return new Row(what, Stats.of(toolMicros), Stats.of(baseMicros));
    }

    private static void call(Tool tool, ToolContext context, Map<String, Object> arguments) throws Exception {
        ToolOutput output = tool.call(context, arguments);
        if (output.isError()) throw new IllegalStateException(tool.name() + " failed: " + output.text());
    }

    private static void firstLines(Path file, int n) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < n; i++) out.append(reader.readLine()).append('\n');
        }
    }

    private static void lastLines(Path file, int from) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) if (++i >= from) out.append(line).append('\n');
        }
    }

    /** What an edit does with nothing around it: read, find once, replace, write a temp file, fsync, rename. */
    private static void plainEdit(Path file, String from, String to) throws IOException {
        String content = Files.readString(file);
        int at = content.indexOf(from);
        String updated = content.substring(0, at) + to + content.substring(at + from.length());
        Path temp = file.resolveSibling(".bench.tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(updated.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) out.write(bytes);
            out.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void print(List<Row> rows, PrintStream out) {
        out.printf("%-58s %10s %10s %10s %10s %8s%n", "tools (µs)", "tool p50", "tool p99", "base p50", "base p99", "p50 ×");
        for (Row row : rows) {
            out.printf("%-58s %10d %10d %10d %10d %8.2f%n", row.what(), row.tool().p50(), row.tool().p99(), row.baseline().p50(),
                    row.baseline().p99(), row.ratioP50());
        }
    }

    /** The file tools need only the config from the agent layer. */
    private record ConfigOnly(JClawConfig config) implements AgentServices {
        @Override
        public SessionReader sessions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> sessionStatus(SessionKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TurnHandle startTurn(TurnRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int activeChildren(SessionKey parent) {
            return 0;
        }

        @Override
        public TurnHandle startChildTurn(TurnRequest request, int max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteSession(SessionKey key) {
            throw new UnsupportedOperationException();
        }
    }
}
