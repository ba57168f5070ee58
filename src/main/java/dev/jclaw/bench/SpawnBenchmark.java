package dev.jclaw.bench;

import dev.jclaw.process.ChildProcess;
import dev.jclaw.process.ChildSpec;
import dev.jclaw.process.Cohort;
import dev.jclaw.process.LaunchChain;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Spawn-to-first-stdout-line and stop time of a trivial child ({@code sh}: print a line, exit on
 * stdin EOF) through each launch chain that works here, against a plain {@link ProcessBuilder}.
 * The variants take turns, one spawn each per round, so that a noisy machine slows them alike and
 * the ratios to the plain spawn hold even when the absolute numbers do not.
 */
public final class SpawnBenchmark {
    private static final List<String> CHILD = List.of("/bin/sh", "-c", "echo ready; read x");

    /** Timings of one variant, in microseconds. */
    public record Result(String variant, Stats firstLine, Stats stop) {}

    /** One variant being measured: how to run one spawn-and-stop, and its samples. */
    private interface Cycle {
        /** Spawns, waits for the first line, stops; returns {first line, stop} in nanoseconds. */
        long[] once() throws Exception;
    }

    public static List<Result> run(int iterations, int warmup, PrintStream progress) throws Exception {
        List<String> names = new ArrayList<>(List.of("plain ProcessBuilder"));
        List<Cycle> cycles = new ArrayList<>(List.of(SpawnBenchmark::plain));
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (LaunchChain chain : LaunchChain.values()) {
                ProcessSupervisor supervisor;
                try {
                    supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(null).withChain(chain));
                } catch (IllegalStateException e) {
                    progress.printf("  %s: not available here (%s)%n", chain.id(), e.getMessage());
                    continue;
                }
                Cohort cohort = supervisor.openCohort("bench");
                open.add(supervisor);
                open.add(cohort);
                names.add(chain.id());
                cycles.add(() -> supervised(chain, cohort));
            }
            long[][] first = new long[cycles.size()][iterations];
            long[][] stop = new long[cycles.size()][iterations];
            for (int i = -warmup; i < iterations; i++) {
                for (int k = 0; k < cycles.size(); k++) {
                    int v = Math.floorMod(i + k, cycles.size()); // rotate who goes first each round
                    long[] t = cycles.get(v).once();
                    if (i >= 0) {
                        first[v][i] = t[0] / 1000;
                        stop[v][i] = t[1] / 1000;
                    }
                }
                if (i > 0 && i % 100 == 0) progress.printf("  %d rounds%n", i);
            }
            List<Result> results = new ArrayList<>();
            for (int v = 0; v < cycles.size(); v++) results.add(new Result(names.get(v), Stats.of(first[v]), Stats.of(stop[v])));
            return results;
        } finally {
            for (AutoCloseable c : open.reversed()) c.close();
        }
    }

    private static long[] plain() throws Exception {
        String owner = "bench-plain-" + ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(CHILD);
        builder.environment().put(ChildProcess.OWNER_ENV, owner);
        Process p = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        if (!"ready".equals(out.readLine())) throw new IllegalStateException("plain child printed no ready line");
        long t1 = System.nanoTime();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("plain child did not exit on stdin EOF");
        }
        long t2 = System.nanoTime();
        p.getInputStream().close();
        p.getErrorStream().close();
        return new long[] {t1 - t0, t2 - t1};
    }

    private static long[] supervised(LaunchChain chain, Cohort cohort) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        long t0 = System.nanoTime();
        ChildProcess child = cohort.spawn(ChildSpec.of("bench", CHILD).withOnLine(line -> ready.countDown()));
        if (!ready.await(5, TimeUnit.SECONDS)) {
            child.close();
            throw new IllegalStateException(chain.id() + ": no ready line within 5 s: " + child.stderrTail());
        }
        long t1 = System.nanoTime();
        child.close();
        long t2 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1};
    }

    /** Prints the results as a Markdown table, with ratios to the plain ProcessBuilder. */
    public static void print(List<Result> results, PrintStream out) {
        Result base = results.getFirst();
        out.println("| variant | first line p50 µs | p99 µs | ratio p50 | stop p50 µs | p99 µs | ratio p50 |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            out.printf("| %s | %d | %d | %.2f | %d | %d | %.2f |%n", r.variant(),
                    r.firstLine().p50(), r.firstLine().p99(), (double) r.firstLine().p50() / base.firstLine().p50(),
                    r.stop().p50(), r.stop().p99(), (double) r.stop().p50() / base.stop().p50());
        }
    }
}
