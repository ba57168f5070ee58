package dev.jclaw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jclaw.config.McpServerConfig.Transport;
import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigLocation;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.StateDir;
import dev.jclaw.mcp.McpCall;
import dev.jclaw.mcp.McpException;
import dev.jclaw.mcp.McpLease;
import dev.jclaw.mcp.McpRuntimeManager;
import dev.jclaw.mcp.McpServerSpec;
import dev.jclaw.mcp.McpServers;
import dev.jclaw.mcp.McpTool;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code jclaw mcp …}: look at MCP servers. */
@Command(name = "mcp", mixinStandardHelpOptions = true, description = "Inspect and probe MCP servers.",
        subcommands = {McpCommand.ListServers.class, McpCommand.Probe.class, McpCommand.Status.class})
final class McpCommand {

    /** Loads the config the gateway would run with, or explains why it cannot. */
    static JClawConfig loadConfig(Path explicit) {
        Path file = ConfigLocation.resolve(explicit, System.getenv());
        return ConfigLoader.load(file, System.getenv()).orElseThrow();
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Configured MCP servers: scope, transport, what they run, and which agents reach them.")
    static final class ListServers implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: as the gateway finds it).")
        Path config;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            JClawConfig loaded = loadConfig(config);
            Map<String, Map<String, Object>> servers = new LinkedHashMap<>();
            for (AgentConfig agent : loaded.agents()) {
                for (McpServerSpec spec : McpServers.forAgent(loaded, agent.id())) {
                    String key = spec.owner() == null ? spec.name() : spec.owner() + "/" + spec.name();
                    Map<String, Object> row = servers.computeIfAbsent(key, k -> {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("name", spec.name());
                        r.put("owner", spec.owner());
                        r.put("scope", spec.scope().toString());
                        r.put("transport", spec.transport().toString());
                        r.put("runs", spec.url() != null ? spec.url().toString() : String.join(" ", spec.command()));
                        r.put("agents", new java.util.ArrayList<String>());
                        return r;
                    });
                    @SuppressWarnings("unchecked") List<String> agents = (List<String>) row.get("agents");
                    agents.add(agent.id());
                }
            }
            loaded.mcp().servers().values().stream().filter(s -> !s.enabled())
                    .forEach(s -> servers.put(s.name(), Map.of("name", s.name(), "enabled", false)));
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(servers.values()));
                return 0;
            }
            if (servers.isEmpty()) System.out.println("No MCP servers are configured (mcp.servers, agents.list[].mcp.servers).");
            for (Map<String, Object> row : servers.values()) {
                if (Boolean.FALSE.equals(row.get("enabled"))) {
                    System.out.printf("%-20s disabled%n", row.get("name"));
                    continue;
                }
                System.out.printf("%-20s scope %-8s %-16s agents %s%n    %s%n", row.get("owner") == null ? row.get("name")
                        : row.get("name") + " (" + row.get("owner") + ")", row.get("scope"), row.get("transport"), row.get("agents"), row.get("runs"));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The running gateway's MCP runtimes: scope, state, leases, each server's pid, tools, restarts and last error.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @picocli.CommandLine.Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            Endpoint endpoint = client.endpoint();
            com.fasterxml.jackson.databind.JsonNode status;
            try (dev.jclaw.gateway.GatewayClient gateway = endpoint.connect(List.of("operator.read"), Duration.ofSeconds(5))) {
                status = gateway.call("mcp.status", Map.of(), Duration.ofSeconds(15));
            } catch (dev.jclaw.gateway.GatewayException e) {
                if (e.kind() == dev.jclaw.gateway.GatewayException.Kind.TRANSPORT && !json) {
                    System.err.println("jclaw mcp status: " + e.getMessage() + ". It shows a running gateway's MCP runtimes: start one"
                            + " with `jclaw gateway` (or point --url/--port at it); `jclaw mcp list` shows what is configured.");
                    return 1;
                }
                return GatewayCommand.printFailure(e, json);
            }
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
                return 0;
            }
            System.out.printf("%d runtime(s), %d server process(es) alive (launch chain %s)%n", status.path("liveRuntimes").asInt(),
                    status.path("liveProcesses").asInt(), status.path("supervisor").path("launchChain").asText());
            for (com.fasterxml.jackson.databind.JsonNode runtime : status.path("runtimes")) {
                System.out.printf("%-40s %-9s leases %d, calls %d, idle %d s%n", runtime.path("scopeKey").asText(), runtime.path("state").asText(),
                        runtime.path("leases").asInt(), runtime.path("callsInFlight").asInt(), runtime.path("idleMillis").asLong() / 1000);
                for (com.fasterxml.jackson.databind.JsonNode server : runtime.path("servers")) {
                    System.out.printf("    %-20s %-9s pid %-8s tools %d, restarts %d%s%n", server.path("name").asText(), server.path("state").asText(),
                            server.path("pid").isNull() ? "-" : server.path("pid").asText(), server.path("tools").asInt(),
                            server.path("restarts").asInt(), server.path("lastError").isNull() ? "" : "  last error: " + server.path("lastError").asText());
                }
            }
            return 0;
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Start (or connect to) one MCP server, initialize it, list its tools, then stop it.")
    static final class Probe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVER|URL", description = "A configured server's name, or a remote server's URL.")
        String target;

        @Option(names = "--agent", description = "For a configured server: the agent whose view to use (default: the default agent).")
        String agent;

        @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: as the gateway finds it).")
        Path config;

        @Option(names = "--transport", defaultValue = "streamable-http",
                description = "For a URL: streamable-http (default) or sse.")
        String transport;

        @Option(names = "--call-all", description = "Call every tool once, with arguments made from its input schema.")
        boolean callAll;

        @Option(names = "--timeout", defaultValue = "30", description = "Seconds for initialize and for each call (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            McpServerSpec spec = target.contains("://") ? remoteSpec() : configuredSpec();
            Map<String, Object> report = new LinkedHashMap<>();
            int status = 0;
            try (ProcessSupervisor supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(StateDir.runDir(StateDir.resolve())));
                 McpRuntimeManager manager = new McpRuntimeManager(supervisor, McpRuntimeManager.Limits.DEFAULT, new SimpleMeterRegistry());
                 McpLease lease = manager.acquire("probe", "probe", List.of(spec), Set.of())) {
                McpException failure = lease.failures().get(spec.name());
                if (failure != null) {
                    System.err.println("jclaw mcp probe: " + failure.getMessage());
                    return 1;
                }
                report.put("server", spec.url() != null ? spec.url().toString() : spec.name());
                report.put("tools", lease.tools().stream().map(t -> Map.of("name", t.toolName(),
                        "description", String.valueOf(t.description()))).toList());
                if (callAll) {
                    Map<String, Object> results = new LinkedHashMap<>();
                    for (McpTool tool : lease.tools()) {
                        McpCall call = lease.call(tool.exposedName(), SchemaSamples.argumentsFor(tool.inputSchema()),
                                Duration.ofSeconds(timeoutSeconds));
                        try {
                            McpSchema.CallToolResult result = call.result().get(timeoutSeconds + 5L, TimeUnit.SECONDS);
                            results.put(tool.toolName(), Boolean.TRUE.equals(result.isError()) ? "error: " + result.content() : result.content());
                        } catch (Exception e) {
                            results.put(tool.toolName(), "failed: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                            status = 1;
                        }
                    }
                    report.put("calls", results);
                }
            }
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                report.forEach((key, value) -> System.out.println(key + ": " + value));
            }
            return status;
        }

        private McpServerSpec configuredSpec() {
            JClawConfig loaded = loadConfig(config);
            String agentId = agent != null ? agent : loaded.defaultAgentId();
            return McpServers.forAgent(loaded, agentId).stream().filter(s -> s.name().equals(target)).findFirst()
                    .orElseThrow(() -> new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "jclaw mcp probe: agent '" + agentId + "' has no MCP server '" + target
                                    + "' (disabled, unknown, or denied by its tool policy; see `jclaw mcp list`)"));
        }

        private McpServerSpec remoteSpec() {
            URI url = URI.create(target);
            if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "jclaw mcp probe: '" + target + "' is not an http(s) URL");
            }
            Transport kind = switch (transport) {
                case "sse" -> Transport.SSE;
                case "streamable-http", "http" -> Transport.STREAMABLE_HTTP;
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--transport must be streamable-http or sse, not " + transport);
            };
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            return new McpServerSpec("probe", kind, null, null, null, url, null, timeout, timeout, null, null, null);
        }
    }
}
