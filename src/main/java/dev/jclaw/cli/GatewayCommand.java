package dev.jclaw.cli;

import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigLocation;
import dev.jclaw.config.ConfigResult;
import dev.jclaw.config.ConfigWatcher;
import dev.jclaw.config.InvalidConfigException;
import dev.jclaw.config.StateDir;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import dev.jclaw.session.StateLock;
import dev.jclaw.session.StateLockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code jclaw gateway [run]}: the long-running gateway, in the foreground. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground.",
        subcommands = GatewayCommand.Run.class)
final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: JCLAW_CONFIG, OPENCLAW_CONFIG_PATH, <state>/jclaw.json).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Run run = new Run();
        run.config = config;
        return run.call();
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground (the default).")
    static final class Run implements Callable<Integer> {
        private static final Logger log = LoggerFactory.getLogger(GatewayCommand.class);

        @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: JCLAW_CONFIG, OPENCLAW_CONFIG_PATH, <state>/jclaw.json).")
        Path config;

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            Path state = StateDir.resolve(env);
            Path configFile = ConfigLocation.resolve(config, env);
            if (ConfigLocation.writeDefaultIfMissing(configFile)) System.out.println("jclaw: first run, wrote a default config to " + configFile);
            ConfigResult loaded = ConfigLoader.load(configFile, env);
            loaded.warnings().forEach(w -> log.warn("config {}: {}", configFile.getFileName(), w));
            if (loaded instanceof ConfigResult.Invalid invalid) {
                System.err.println(new InvalidConfigException(configFile, invalid.errors()).getMessage());
                return 1;
            }
            StateLock lock;
            try {
                lock = StateLock.acquire(state, "gateway");
            } catch (StateLockedException e) {
                System.err.println("jclaw gateway: " + e.getMessage());
                return 1;
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            // SIGTERM/SIGINT run the hook; the JVM exits when the hook returns, so it waits for the close below.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }, "jclaw-shutdown"));
            // The watcher logs each reload; the layers that react to a new config subscribe here as they arrive.
            try (lock; ConfigWatcher watcher = ConfigWatcher.start(configFile, env, loaded.orElseThrow(), (c, w) -> { });
                 ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(StateDir.runDir(state)))) {
                System.out.printf("jclaw gateway %s: process supervisor ready (launch chain %s), state in %s%n",
                        supervisor.instanceId(), supervisor.launchChain().id(), state);
                System.out.printf("config %s: %d agent(s), watched for changes%n", configFile, watcher.current().agents().size());
                System.out.println("The agent, WebSocket and HTTP layers are not built yet; Ctrl-C stops.");
                stop.await();
            } finally {
                stopped.countDown();
            }
            return 0;
        }
    }
}
