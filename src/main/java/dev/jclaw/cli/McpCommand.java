package dev.jclaw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jclaw.config.StateDir;
import dev.jclaw.mcp.McpCall;
import dev.jclaw.mcp.McpException;
import dev.jclaw.mcp.McpLease;
import dev.jclaw.mcp.McpRuntimeManager;
import dev.jclaw.mcp.McpServerSpec;
import dev.jclaw.mcp.McpTool;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code jclaw mcp …}: look at MCP servers. */
@Command(name = "mcp", mixinStandardHelpOptions = true, description = "Inspect and probe MCP servers.",
        subcommands = McpCommand.Probe.class)
final class McpCommand {

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Start (or connect to) one MCP server, initialize it, list its tools, then stop it.")
    static final class Probe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "URL", description = "A remote server's URL (http:// or https://).")
        String target;

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
            McpServerSpec spec = remoteSpec();
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

        private McpServerSpec remoteSpec() {
            URI url = URI.create(target);
            if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "jclaw mcp probe: '" + target + "' is not an http(s) URL");
            }
            McpServerSpec.Transport kind = switch (transport) {
                case "sse" -> McpServerSpec.Transport.SSE;
                case "streamable-http", "http" -> McpServerSpec.Transport.STREAMABLE_HTTP;
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--transport must be streamable-http or sse, not " + transport);
            };
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            return new McpServerSpec("probe", kind, null, null, null, url, null, timeout, timeout, null, null, null);
        }
    }
}
