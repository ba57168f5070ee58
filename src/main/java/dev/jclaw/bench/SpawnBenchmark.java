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
 */
public final class SpawnBenchmark {
    private static final List<String> CHILD = List.of("/bin/sh", "-c", "echo ready; read x");

    /** Timings of one variant, in microseconds. */
    public record Result(String variant, Stats firstLine, Stats stop) {}

    public static List<Result> run(int iterations, int warmup, PrintStream progress) throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(plain(iterations, warmup));
        progress.printf("  plain ProcessBuilder done%n");
        for (LaunchChain chain : LaunchChain.values()) {
            ProcessSupervisor supervisor;
            try {
                supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(null).withChain(chain));
            } catch (IllegalStateException e) {
                progress.printf("  %s: not available here (%s)%n", chain.id(), e.getMessage());
                continue;
            }
            try (supervisor; Cohort cohort = supervisor.openCohort("bench")) {
                results.add(supervised(chain, cohort, iterations, warmup));
                progress.printf("  %s done%n", chain.id());
            }
        }
        return results;
    }

    private static Result plain(int iterations, int warmup) throws Exception {
        long[] first = new long[iterations];
        long[] stop = new long[iterations];
        String owner = "bench-plain-" + ProcessHandle.current().pid();
        for (int i = -warmup; i < iterations; i++) {
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
            if (i >= 0) {
                first[i] = (t1 - t0) / 1000;
                stop[i] = (t2 - t1) / 1000;
            }
        }
        return new Result("plain ProcessBuilder", Stats.of(first), Stats.of(stop));
    }

    private static Result supervised(LaunchChain chain, Cohort cohort, int iterations, int warmup) throws Exception {
        long[] first = new long[iterations];
        long[] stop = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
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
            if (i >= 0) {
                first[i] = (t1 - t0) / 1000;
                stop[i] = (t2 - t1) / 1000;
            }
        }
        return new Result(chain.id(), Stats.of(first), Stats.of(stop));
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
