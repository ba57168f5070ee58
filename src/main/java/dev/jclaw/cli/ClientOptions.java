package dev.jclaw.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that talks to a running gateway takes. */
final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL", description = "Gateway WebSocket URL (default: JCLAW_GATEWAY_URL, OPENCLAW_GATEWAY_URL, ws://127.0.0.1:<port>).")
    String url;

    @Option(names = "--port", paramLabel = "PORT", description = "Gateway port on this host (default: JCLAW_GATEWAY_PORT, OPENCLAW_GATEWAY_PORT, config, 18789).")
    Integer port;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Gateway token (default: JCLAW_GATEWAY_TOKEN, OPENCLAW_GATEWAY_TOKEN, gateway.auth.token).")
    String token;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Gateway password (default: JCLAW_GATEWAY_PASSWORD, OPENCLAW_GATEWAY_PASSWORD, gateway.auth.password).")
    String password;

    @Option(names = "--config", paramLabel = "PATH", description = "Config file to read the port and token from (default: as the gateway finds it).")
    Path config;

    Endpoint endpoint() {
        return Endpoint.resolve(url, port, token, password, config);
    }
}
