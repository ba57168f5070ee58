package dev.jclaw.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mcp.servers} (global) and {@code agents.list[].mcp.servers} (JClaw's per-agent servers):
 * one shape, different default {@link McpServerConfig.Scope}. A server is either a command (stdio)
 * or a url (sse / streamable-http), never both.
 */
final class McpBinder {
    private static final String RESERVED_NAME = "__proto__";

    private McpBinder() {}

    static McpConfig bindGlobal(ObjectReader mcp) {
        if (mcp == null) return McpConfig.DEFAULT;
        Map<String, McpServerConfig> servers = servers(mcp, McpServerConfig.Scope.GATEWAY);
        Long ttl = mcp.number("sessionIdleTtlMs", 0, ObjectReader.MAX_MILLIS);
        return new McpConfig(servers, ttl == null || ttl == 0 ? null : Duration.ofMillis(ttl),
                mcp.integer("maxRuntimes", 1, 100_000, McpConfig.DEFAULT_MAX_RUNTIMES),
                mcp.integer("maxProcesses", 1, 100_000, McpConfig.DEFAULT_MAX_PROCESSES));
    }

    static Map<String, McpServerConfig> bindAgentServers(ObjectReader agentMcp) {
        return servers(agentMcp, McpServerConfig.Scope.AGENT);
    }

    private static Map<String, McpServerConfig> servers(ObjectReader mcp, McpServerConfig.Scope defaultScope) {
        Map<String, McpServerConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectReader> entry : mcp.objects("servers").entrySet()) {
            McpServerConfig server = server(entry.getKey(), entry.getValue(), defaultScope);
            if (server != null) out.put(entry.getKey(), server);
        }
        return out;
    }

    private static McpServerConfig server(String name, ObjectReader s, McpServerConfig.Scope defaultScope) {
        boolean valid = true;
        if (name.isBlank() || !name.equals(name.strip()) || name.equals(RESERVED_NAME)) {
            s.errorHere("server names must be non-empty, without surrounding spaces, and not \"" + RESERVED_NAME + "\"");
            valid = false;
        }
        String command = s.string("command");
        List<String> args = s.strings("args");
        Path cwd = s.path("cwd");
        Path workingDirectory = s.path("workingDirectory");
        if (cwd != null && workingDirectory != null) {
            s.error("workingDirectory", "set cwd or its older name workingDirectory, not both");
            valid = false;
        }
        URI url = s.httpUrl("url");
        McpServerConfig.Transport transport = s.choice("transport", McpServerConfig.Transport.class);
        boolean hasCommand = s.has("command");
        boolean hasUrl = s.has("url");
        if (hasCommand && hasUrl) {
            s.error("url", "set either command (a local server) or url (a remote one), not both");
            valid = false;
        } else if (!hasCommand && !hasUrl) {
            s.error("command", "required: a command to start (stdio) or a url (remote server)");
            valid = false;
        } else if (hasCommand && transport != null && transport != McpServerConfig.Transport.STDIO) {
            s.error("transport", JsonPaths.quote(transport.toString()) + " needs a url; a command speaks \"stdio\"");
            valid = false;
        } else if (hasUrl && transport == McpServerConfig.Transport.STDIO) {
            s.error("transport", "\"stdio\" needs a command; a url speaks \"sse\" or \"streamable-http\"");
            valid = false;
        }
        if (command != null && command.isBlank()) {
            s.error("command", "expected a command, got an empty string");
            valid = false;
        }
        Map<String, Secret> env = s.secrets("env");
        Map<String, Secret> headers = s.secrets("headers");
        Duration connectionTimeout = s.millis("connectionTimeoutMs");
        Duration requestTimeout = s.millis("requestTimeoutMs");
        boolean enabled = s.bool("enabled", true);
        McpServerConfig.ToolFilter filter = toolFilter(s.object("toolFilter"));
        McpServerConfig.Scope scope = s.choice("scope", McpServerConfig.Scope.class, defaultScope);
        if (!valid || command == null && url == null) return null;
        if (transport == null) transport = hasCommand ? McpServerConfig.Transport.STDIO : McpServerConfig.Transport.STREAMABLE_HTTP;
        return new McpServerConfig(name, transport, command, args == null ? List.of() : args, env,
                cwd != null ? cwd : workingDirectory, url, headers,
                connectionTimeout != null ? connectionTimeout : McpServerConfig.DEFAULT_CONNECTION_TIMEOUT,
                requestTimeout, enabled, filter, scope);
    }

    private static McpServerConfig.ToolFilter toolFilter(ObjectReader f) {
        if (f == null) return McpServerConfig.ToolFilter.ALL;
        List<String> include = f.strings("include");
        List<String> exclude = f.strings("exclude");
        return new McpServerConfig.ToolFilter(include == null ? List.of() : include, exclude == null ? List.of() : exclude);
    }
}
