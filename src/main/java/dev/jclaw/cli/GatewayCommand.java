package dev.jclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.agent.Engine;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigLocation;
import dev.jclaw.config.ConfigResult;
import dev.jclaw.config.GatewayConfig;
import dev.jclaw.config.InvalidConfigException;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.StateDir;
import dev.jclaw.gateway.Gateway;
import dev.jclaw.gateway.GatewayClient;
import dev.jclaw.gateway.GatewayException;
import dev.jclaw.gateway.GatewayOptions;
import dev.jclaw.gateway.GatewayStartException;
import dev.jclaw.session.StateLockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code jclaw gateway [run]}, {@code gateway call}, {@code gateway install}. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground (or: call it, install it as a service).",
        subcommands = {GatewayCommand.Run.class, GatewayCommand.Call.class, GatewayCommand.Install.class})
final class GatewayCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws Exception {
        return run(options);
    }

    /** The options of {@code gateway run} (also taken by bare {@code gateway}). */
    static final class RunOptions {
        @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: JCLAW_CONFIG, OPENCLAW_CONFIG_PATH, <state>/jclaw.json).")
        Path config;

        @Option(names = "--port", paramLabel = "PORT", description = "Port (beats JCLAW_GATEWAY_PORT, OPENCLAW_GATEWAY_PORT and gateway.port; default 18789).")
        Integer port;

        @Option(names = "--bind", paramLabel = "BIND", description = "loopback (default), lan, auto, or an address; beats gateway.bind. Anything but loopback needs auth.")
        String bind;

        @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "On SIGTERM/SIGINT, exit within this many seconds, runs and MCP servers stopped (default ${DEFAULT-VALUE}).")
        int shutdownSeconds;

        @Option(names = "--json", description = "Print the ready line as JSON.")
        boolean json;

        @Option(names = "--train", hidden = true, description = "Start on a free port with a scratch state dir, serve a few requests, stop (builds the AOT cache).")
        boolean train;
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground (the default).")
    static final class Run implements Callable<Integer> {
        @Mixin
        RunOptions options;

        @Override
        public Integer call() throws Exception {
            return run(options);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GatewayCommand.class);

    static int run(RunOptions o) throws Exception {
        if (o.train) return Training.run();
        Map<String, String> env = System.getenv();
        Path configFile = ConfigLocation.resolve(o.config, env);
        if (ConfigLocation.writeDefaultIfMissing(configFile)) System.err.println("jclaw: first run, wrote a default config to " + configFile);
        ConfigResult loaded = ConfigLoader.load(configFile, env);
        loaded.warnings().forEach(w -> log.warn("config {}: {}", configFile.getFileName(), w));
        if (loaded instanceof ConfigResult.Invalid invalid) {
            System.err.println(new InvalidConfigException(configFile, invalid.errors()).getMessage());
            return 1;
        }
        JClawConfig config = loaded.orElseThrow();
        Gateway gateway;
        try {
            GatewayOptions options = GatewayOptions.from(config, o.port, o.bind).withShutdownTimeout(Duration.ofSeconds(o.shutdownSeconds));
            gateway = Gateway.start(options, registry -> Engine.start(configFile, env, config, new Engine.Options(Models.factory(registry), registry, true)));
        } catch (GatewayStartException | StateLockedException | InvalidConfigException e) {
            System.err.println("jclaw gateway: " + e.getMessage());
            return 1;
        }
        CountDownLatch forever = new CountDownLatch(1);
        installShutdownHook(gateway, Duration.ofSeconds(o.shutdownSeconds));
        printReady(gateway, config, configFile, o.json);
        forever.await();
        return 0;
    }

    /**
     * SIGTERM and SIGINT run the JVM's shutdown hooks: this one closes the gateway, and if that takes
     * longer than the bound, halts the JVM anyway (the launch chain then takes the MCP trees down with it).
     */
    static void installShutdownHook(Gateway gateway, Duration bound) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread closer = Thread.ofPlatform().name("jclaw-gateway-close").start(gateway::close);
            try {
                closer.join(bound);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            if (closer.isAlive()) {
                System.err.println("jclaw gateway: shutdown did not finish within " + bound.toSeconds() + " s; exiting anyway");
                Runtime.getRuntime().halt(1);
            }
        }, "jclaw-shutdown"));
    }

    private static void printReady(Gateway gateway, JClawConfig config, Path configFile, boolean json) throws IOException {
        GatewayOptions options = gateway.options();
        String auth = switch (options.authMode()) {
            case NONE -> "none (loopback only)";
            case TOKEN, PASSWORD -> options.authMode() + " " + hint(options.secret().reveal()) + " from " + secretSource(config, options.authMode(), options.secret().reveal());
        };
        if (json) {
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("url", gateway.url());
            ready.put("http", gateway.url().replaceFirst("^ws", "http"));
            ready.put("port", gateway.port());
            ready.put("pid", ProcessHandle.current().pid());
            ready.put("auth", options.authMode().toString());
            ready.put("authHint", options.secret() == null ? null : hint(options.secret().reveal()));
            ready.put("agents", config.agents().stream().map(a -> a.id()).toList());
            ready.put("config", configFile.toString());
            ready.put("stateDir", gateway.engine().stateDir().toString());
            System.out.println(new ObjectMapper().writeValueAsString(ready));
        } else {
            System.out.printf("jclaw gateway ready: %s  (pid %d)%n", gateway.url(), ProcessHandle.current().pid());
            System.out.printf("  http     %s/health, /metrics, /v1/chat/completions, /tools/invoke%n", gateway.url().replaceFirst("^ws", "http"));
            System.out.printf("  auth     %s%n", auth);
            System.out.printf("  agents   %s (default %s)%n", String.join(", ", config.agents().stream().map(a -> a.id()).toList()),
                    config.defaultAgentId() == null ? "none" : config.defaultAgentId());
            System.out.printf("  config   %s%n  state    %s%n", configFile, gateway.engine().stateDir());
            System.out.println("  Ctrl-C or SIGTERM stops it (runs aborted, MCP servers stopped, within " + options.shutdownTimeout().toSeconds() + " s).");
        }
        System.out.flush();
    }

    /** Enough of a secret to recognise it, not to use it. */
    static String hint(String secret) {
        return secret.length() <= 8 ? "(" + secret.length() + " chars)" : secret.substring(0, 4) + "…" + secret.substring(secret.length() - 2);
    }

    /** Where the secret in effect came from: a variable only when it holds that very secret (the config's wins). */
    private static String secretSource(JClawConfig config, GatewayConfig.AuthMode mode, String secret) {
        String upper = mode.toString().toUpperCase();
        for (String name : List.of("JCLAW_GATEWAY_" + upper, "OPENCLAW_GATEWAY_" + upper)) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank() && value.equals(secret)) return "$" + name;
        }
        return "gateway.auth." + mode + " in " + (config.source() == null ? "the config" : config.source().getFileName());
    }

    // ---- call ----

    @Command(name = "call", mixinStandardHelpOptions = true, description = "Call one method of the running gateway and print its answer.")
    static final class Call implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "METHOD", description = "health, status, sessions.list, agent, mcp.status, ...")
        String method;

        @Option(names = "--params", paramLabel = "JSON", defaultValue = "{}", description = "The params, a JSON object (default {}).")
        String params;

        @Option(names = "--timeout", paramLabel = "MS", defaultValue = "30000", description = "Wait at most this long for the answer (default ${DEFAULT-VALUE}).")
        long timeoutMillis;

        @Option(names = "--expect-final", description = "Wait for the final answer of a two-phase method (agent).")
        boolean expectFinal;

        @Option(names = "--json", description = "Print JSON only (the payload, or {ok:false,error} on failure).")
        boolean json;

        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            JsonNode parsed;
            try {
                parsed = mapper.readTree(params);
            } catch (IOException e) {
                System.err.println("jclaw gateway call: --params is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
                return 2;
            }
            if (!parsed.isObject()) {
                System.err.println("jclaw gateway call: --params must be a JSON object, got " + parsed.getNodeType().toString().toLowerCase());
                return 2;
            }
            boolean twoPhase = expectFinal || method.equals("agent");
            Duration timeout = Duration.ofMillis(timeoutMillis);
            try (GatewayClient gateway = client.endpoint().connect(List.of("operator.admin"), Duration.ofSeconds(10))) {
                JsonNode payload = twoPhase ? gateway.callFinal(method, parsed, accepted -> {
                    if (!json) System.err.println("accepted: run " + accepted.path("runId").asText());
                }, timeout) : gateway.call(method, parsed, timeout);
                System.out.println(mapper.writeValueAsString(payload));
                return 0;
            } catch (GatewayException e) {
                return printFailure(e, json);
            }
        }
    }

    /** Prints a failed call: OpenClaw's {@code {ok:false, error:{type, code, message, details}}} with --json, a sentence without. */
    static int printFailure(GatewayException e, boolean json) throws IOException {
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode out = mapper.createObjectNode().put("ok", false);
            ObjectNode error = out.putObject("error");
            error.put("type", e.kind() == GatewayException.Kind.REQUEST ? "gateway_request_error" : "gateway_transport_error");
            if (e.code() != null) error.put("code", e.code());
            error.put("message", e.getMessage());
            if (e.details() != null) error.set("details", e.details());
            System.out.println(mapper.writeValueAsString(out));
        } else {
            System.err.println("jclaw: " + e.getMessage() + (e.code() != null ? " [" + e.code() + "]" : ""));
            if (e.kind() == GatewayException.Kind.TRANSPORT) {
                System.err.println("  Is a gateway running? Start one with `jclaw gateway`, or point --url/--port at it.");
            }
        }
        return 1;
    }

    // ---- install ----

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Write a systemd user unit that runs this gateway (KillMode=control-group: nothing of it outlives a stop).")
    static final class Install implements Callable<Integer> {
        @Option(names = "--unit-dir", paramLabel = "DIR", description = "Where to write the unit (default: $XDG_CONFIG_HOME/systemd/user or ~/.config/systemd/user).")
        Path unitDir;

        @Option(names = "--name", defaultValue = "jclaw-gateway", description = "Unit name (default ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--port", paramLabel = "PORT", description = "Pass --port to the gateway.")
        Integer port;

        @Option(names = "--config", paramLabel = "PATH", description = "The config the service runs with (default: the one the gateway would use now).")
        Path config;

        @Option(names = "--force", description = "Replace an existing unit.")
        boolean force;

        @Option(names = "--print", description = "Print the unit instead of writing it.")
        boolean print;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            Path configFile = ConfigLocation.resolve(config, env);
            Path state = StateDir.resolve(env);
            String unit = SystemdUnit.render(SystemdUnit.execStart(port), configFile, state);
            if (print) {
                System.out.print(unit);
                return 0;
            }
            Path dir = unitDir != null ? unitDir : SystemdUnit.userUnitDir(env);
            Path file = dir.resolve(name + ".service");
            if (Files.exists(file) && !force) {
                System.err.println("jclaw gateway install: " + file + " exists; --force replaces it (or --print shows the new one)");
                return 1;
            }
            Files.createDirectories(dir);
            Files.writeString(file, unit);
            List<String> warnings = SystemdUnit.warnings(env, configFile);
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(Map.of("unit", file.toString(), "name", name + ".service",
                        "warnings", warnings)));
            } else {
                System.out.println("Wrote " + file);
                warnings.forEach(w -> System.out.println("  warning: " + w));
                System.out.println("Next:");
                System.out.println("  systemctl --user daemon-reload");
                System.out.println("  systemctl --user enable --now " + name + ".service");
                System.out.println("  loginctl enable-linger " + System.getProperty("user.name") + "   # keep it running after you log out");
            }
            return 0;
        }
    }
}
