package dev.jclaw.cli;

import dev.jclaw.bench.SpawnBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code jclaw bench <what>}: the benchmarks whose results docs/BENCHMARKS.md records. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark on this host.",
        subcommands = BenchCommand.Spawn.class)
final class BenchCommand {

    @Command(name = "spawn", mixinStandardHelpOptions = true,
            description = "Spawn-to-first-line and stop time through each launch chain, against a plain ProcessBuilder.")
    static final class Spawn implements Callable<Integer> {
        @Option(names = "--iterations", defaultValue = "200", description = "Measured spawns per variant (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--warmup", defaultValue = "30", description = "Unmeasured spawns first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            System.err.printf("bench spawn: %d iterations after %d warm-up, on %d cores%n", iterations, warmup,
                    Runtime.getRuntime().availableProcessors());
            SpawnBenchmark.print(SpawnBenchmark.run(iterations, warmup, System.err), System.out);
            return 0;
        }
    }
}
