package dev.jclaw.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One MCP server ({@code mcp.servers.<name>}, or {@code agents.list[].mcp.servers.<name>}). Exactly one
 * of {@code command} (a child process speaking stdio) and {@code url} (a remote server) is set.
 *
 * @param name              the key it was configured under
 * @param transport         {@code stdio} for a command, else {@code sse} or {@code streamable-http}
 * @param command           executable to start, or null for a remote server
 * @param args              its arguments
 * @param env               variables added to the child's environment
 * @param cwd               its working directory, or null for the agent workspace
 * @param url               remote endpoint, or null for a command
 * @param headers           HTTP headers sent to a remote server
 * @param connectionTimeout how long connecting and initialising may take (default 30 s)
 * @param requestTimeout    limit per request, or null for the runtime's default
 * @param enabled           false keeps the entry but starts nothing
 * @param toolFilter        which of its tools are exposed
 * @param scope             JClaw addition: who shares one running instance
 */
public record McpServerConfig(String name, Transport transport, String command, List<String> args, Map<String, Secret> env,
                              Path cwd, URI url, Map<String, Secret> headers, Duration connectionTimeout,
                              Duration requestTimeout, boolean enabled, ToolFilter toolFilter, Scope scope) {
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(30_000);

    public McpServerConfig {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        headers = Map.copyOf(headers);
    }

    /** How JClaw talks to the server. */
    public enum Transport {
        STDIO("stdio"), SSE("sse"), STREAMABLE_HTTP("streamable-http");

        private final String wire;

        Transport(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * Who shares one running instance of the server. Defaults: {@code gateway} for a server in the
     * global {@code mcp.servers}, {@code agent} for one configured under an agent.
     */
    public enum Scope {
        /** One instance per session, retired with it. */
        SESSION("session"),
        /** One instance per agent, shared by its sessions. */
        AGENT("agent"),
        /** One instance for the whole gateway. */
        GATEWAY("gateway");

        private final String wire;

        Scope(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * Tool names to expose: {@code include} (empty = all) minus {@code exclude}; both accept
     * {@code *} and {@code ?} globs on the server's own tool names.
     */
    public record ToolFilter(List<String> include, List<String> exclude) {
        public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

        public ToolFilter {
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
        }

        public boolean exposes(String toolName) {
            boolean included = include.isEmpty() || include.stream().anyMatch(glob -> Globs.matches(glob, toolName));
            return included && exclude.stream().noneMatch(glob -> Globs.matches(glob, toolName));
        }
    }
}
