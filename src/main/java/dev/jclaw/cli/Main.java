package dev.jclaw.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jclaw} command line: every subcommand is registered here. */
@Command(name = "jclaw", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A self-hosted multi-agent gateway that reads openclaw.json and never leaks an MCP process.",
        subcommands = {GatewayCommand.class, StatusCommand.class, HealthCommand.class, AgentCommand.class, McpCommand.class, DoctorCommand.class, ConfigCommand.class, SessionsCommand.class, ToolsCommand.class,
                ImportOpenClawCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (tests call this). */
    public static int run(String... args) {
        // Starting the gateway is the command whose speed matters (start to ready): picocli builds its model by
        // reflection over every command it knows, so `gateway [run]` gets a command line of its own subtree only.
        boolean gatewayRun = args.length >= 1 && args[0].equals("gateway")
                && (args.length == 1 || args[1].equals("run") || args[1].startsWith("-"));
        CommandLine line = gatewayRun ? new CommandLine(new GatewayCommand()).setCommandName("jclaw gateway") : new CommandLine(new Main());
        String[] effective = gatewayRun ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        return line.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    // Errors are for people: the message names what and where; the trace only on request.
                    commandLine.getErr().println("jclaw " + commandLine.getCommandName() + ": " + error.getMessage());
                    if (System.getenv("JCLAW_DEBUG") != null) error.printStackTrace(commandLine.getErr());
                    return 1;
                })
                .execute(effective);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jclaw " + (version == null ? "dev" : version) + " (Java " + Runtime.version() + ")"};
        }
    }
}
