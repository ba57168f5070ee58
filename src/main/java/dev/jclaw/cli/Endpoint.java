package dev.jclaw.cli;

import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigLocation;
import dev.jclaw.config.ConfigResult;
import dev.jclaw.config.GatewayConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.gateway.GatewayClient;
import dev.jclaw.gateway.GatewayException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the running gateway is and how to authenticate to it, for the client commands
 * ({@code gateway call}, {@code status}, {@code health}, {@code agent}, {@code mcp status}): the URL
 * from {@code --url}, {@code JCLAW_GATEWAY_URL} / {@code OPENCLAW_GATEWAY_URL}, else loopback on the
 * port from {@code --port}, the environment or the config; the token or password from
 * {@code --token}, then, for the local gateway, the one it resolves itself (config, else environment),
 * and for a gateway named by URL, the environment, then the config.
 */
record Endpoint(URI url, String token, String password) {
    static Endpoint resolve(String url, Integer port, String token, String password, Path configFlag) {
        Map<String, String> env = System.getenv();
        JClawConfig config = null;
        try {
            ConfigResult loaded = ConfigLoader.load(ConfigLocation.resolve(configFlag, env), env);
            if (loaded instanceof ConfigResult.Valid) config = loaded.orElseThrow();
        } catch (RuntimeException e) {
            // A broken or missing config still leaves the flags and the environment to go by.
        }
        String u = first(url, env.get("JCLAW_GATEWAY_URL"), env.get("OPENCLAW_GATEWAY_URL"));
        URI uri;
        if (u != null) {
            uri = URI.create(u.replaceFirst("^http", "ws"));
        } else {
            int p = port != null ? port : config != null ? config.gateway().port() : envPort(env);
            uri = URI.create("ws://127.0.0.1:" + p);
        }
        GatewayConfig.Auth auth = config == null || config.gateway().auth() == null ? null : config.gateway().auth();
        String configToken = auth != null && auth.token() != null ? auth.token().reveal() : null;
        String configPassword = auth != null && auth.password() != null ? auth.password().reveal() : null;
        String t;
        String pw;
        if (u == null && config != null) {
            // The local gateway: the secret it resolved itself (the config's, else the environment's, which the
            // loaded config already folds in), so the two can never disagree.
            t = first(token, configToken);
            pw = first(password, configPassword);
        } else {
            // Another gateway (a URL was given) or no readable config: the environment speaks for it.
            t = first(token, env.get("JCLAW_GATEWAY_TOKEN"), env.get("OPENCLAW_GATEWAY_TOKEN"), configToken);
            pw = first(password, env.get("JCLAW_GATEWAY_PASSWORD"), env.get("OPENCLAW_GATEWAY_PASSWORD"), configPassword);
        }
        return new Endpoint(uri, t, pw);
    }

    private static int envPort(Map<String, String> env) {
        for (String name : List.of("JCLAW_GATEWAY_PORT", "OPENCLAW_GATEWAY_PORT")) {
            try {
                if (env.get(name) != null) return Integer.parseInt(env.get(name).strip());
            } catch (NumberFormatException ignored) {
                // the config loader reports it
            }
        }
        return GatewayConfig.DEFAULT_PORT;
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.strip();
        return null;
    }

    /** The {@code http://} base of the same gateway. */
    URI http(String path) {
        return URI.create(url.toString().replaceFirst("^ws", "http").replaceAll("/+$", "") + path);
    }

    GatewayClient connect(List<String> scopes, Duration timeout) throws GatewayException, InterruptedException {
        return GatewayClient.connect(new GatewayClient.Options(url, token, password, "cli", "cli", "jclaw", scopes, timeout));
    }
}
