package dev.jclaw.cli;

import dev.jclaw.config.StateDir;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code jclaw gateway [run]}: the long-running gateway, in the foreground. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground.",
        subcommands = GatewayCommand.Run.class)
final class GatewayCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        return new Run().call();
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground (the default).")
    static final class Run implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path state = StateDir.resolve();
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
            try (ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(StateDir.runDir(state)))) {
                System.out.printf("jclaw gateway %s: process supervisor ready (launch chain %s), state in %s%n",
                        supervisor.instanceId(), supervisor.launchChain().id(), state);
                System.out.println("The agent, WebSocket and HTTP layers are not built yet; Ctrl-C stops.");
                stop.await();
            } finally {
                stopped.countDown();
            }
            return 0;
        }
    }
}
