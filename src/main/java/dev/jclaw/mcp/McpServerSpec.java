package dev.jclaw.mcp;

import dev.jclaw.config.McpServerConfig.Scope;
import dev.jclaw.config.McpServerConfig.ToolFilter;
import dev.jclaw.config.McpServerConfig.Transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One configured MCP server, as {@code mcp.servers.<name>} (or {@code agents.list[].mcp.servers})
 * describes it.
 *
 * @param name              the config key; also the prefix of its exposed tool names
 * @param transport         stdio for a command, streamable HTTP or legacy SSE for a URL
 * @param command           program and arguments (stdio only)
 * @param env               variables for the child, over a small allowlist of the gateway's
 * @param cwd               working directory (stdio), or null
 * @param url               the server's endpoint (remote only)
 * @param headers           extra HTTP headers (remote only)
 * @param connectionTimeout how long initialize may take
 * @param requestTimeout    the default bound of one tool call
 * @param toolFilter        which of its tools are offered
 * @param scope             who shares one instance
 * @param owner             the agent that declared it, or null for a global server
 */
public record McpServerSpec(String name, Transport transport, List<String> command, Map<String, String> env, Path cwd,
                            URI url, Map<String, String> headers, Duration connectionTimeout, Duration requestTimeout,
                            ToolFilter toolFilter, Scope scope, String owner) {

    /** OpenClaw's default for initialize. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** A tool call's bound when neither the server nor the call sets one. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public McpServerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectionTimeout = connectionTimeout == null ? DEFAULT_CONNECTION_TIMEOUT : connectionTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        toolFilter = toolFilter == null ? ToolFilter.ALL : toolFilter;
        scope = scope == null ? (owner == null ? Scope.GATEWAY : Scope.AGENT) : scope;
        if (transport == Transport.STDIO && command.isEmpty()) {
            throw new IllegalArgumentException("MCP server '" + name + "': a stdio server needs a command");
        }
        if (transport != Transport.STDIO && url == null) {
            throw new IllegalArgumentException("MCP server '" + name + "': a " + transport.name().toLowerCase() + " server needs a url");
        }
    }

    /** A stdio server with defaults, for code and tests. */
    public static McpServerSpec stdio(String name, List<String> command) {
        return new McpServerSpec(name, Transport.STDIO, command, null, null, null, null, null, null, null, null, null);
    }

    public McpServerSpec withScope(Scope scope) {
        return new McpServerSpec(name, transport, command, env, cwd, url, headers, connectionTimeout, requestTimeout, toolFilter, scope, owner);
    }

    public McpServerSpec withEnv(Map<String, String> env) {
        return new McpServerSpec(name, transport, command, env, cwd, url, headers, connectionTimeout, requestTimeout, toolFilter, scope, owner);
    }

    public McpServerSpec withCwd(Path cwd) {
        return new McpServerSpec(name, transport, command, env, cwd, url, headers, connectionTimeout, requestTimeout, toolFilter, scope, owner);
    }

    public McpServerSpec withTimeouts(Duration connectionTimeout, Duration requestTimeout) {
        return new McpServerSpec(name, transport, command, env, cwd, url, headers, connectionTimeout, requestTimeout, toolFilter, scope, owner);
    }

    public McpServerSpec withOwner(String owner) {
        return new McpServerSpec(name, transport, command, env, cwd, url, headers, connectionTimeout, requestTimeout, toolFilter, scope, owner);
    }

    /**
     * What makes two configurations of this server the same instance: everything that changes the
     * process or the connection. A reload retires a running server only when this changes.
     */
    public String fingerprint() {
        String canonical = String.join("\u0000", name, transport.name(), String.join("\u0001", command),
                new TreeMap<>(env).toString(), String.valueOf(cwd), String.valueOf(url), new TreeMap<>(headers).toString(),
                connectionTimeout.toString(), requestTimeout.toString(), toolFilter.toString(), scope.name(), String.valueOf(owner));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name with its owner, for messages: {@code memory} or {@code memory (agent a)}. */
    public String label() {
        return owner == null ? name : name + " (agent " + owner + ")";
    }
}
