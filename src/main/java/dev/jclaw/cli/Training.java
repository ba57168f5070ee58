package dev.jclaw.cli;

import dev.jclaw.agent.Engine;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.gateway.Gateway;
import dev.jclaw.gateway.GatewayClient;
import dev.jclaw.gateway.GatewayOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code jclaw gateway run --train}: a gateway on a free port and a scratch state dir that serves the
 * requests a real start does (health over HTTP and WebSocket, status, metrics), then stops. The
 * ./jclaw launcher runs it once per build under {@code -XX:AOTCacheOutput} so the JVM records the
 * classes a start needs into an AOT cache, which later starts map instead of loading and linking.
 */
final class Training {
    private Training() {}

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("jclaw-train");
        try {
            Path config = dir.resolve("jclaw.json");
            StringBuilder agents = new StringBuilder();
            for (int i = 0; i < 9; i++) agents.append(i == 0 ? "" : ", ").append("{ id: \"agent-").append(i).append("\"").append(i == 0 ? ", default: true" : "").append(" }");
            Files.writeString(config, "{ agents: { list: [ " + agents + " ] }, gateway: { auth: { mode: \"token\", token: \"training-token-xyz\" } } }");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("JCLAW_STATE_DIR", dir.resolve("state").toString());
            env.remove("JCLAW_GATEWAY_TOKEN");
            env.remove("OPENCLAW_GATEWAY_TOKEN");
            env.remove("JCLAW_GATEWAY_PORT");
            env.remove("OPENCLAW_GATEWAY_PORT");
            JClawConfig loaded = ConfigLoader.load(config, env).orElseThrow();
            try (Gateway gateway = Gateway.start(GatewayOptions.from(loaded, 0, null),
                    registry -> Engine.start(config, env, new Engine.Options(Models.factory(registry), registry, false)))) {
                HttpClient http = HttpClient.newHttpClient();
                for (String path : List.of("/health", "/startupz", "/metrics", "/v1/models")) {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                            .header("Authorization", "Bearer training-token-xyz").timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                }
                try (GatewayClient client = GatewayClient.connect(GatewayClient.Options.cli(URI.create(gateway.url()), "training-token-xyz",
                        null, List.of("operator.admin")))) {
                    for (String method : List.of("health", "status", "sessions.list", "models.list", "config.get", "mcp.status")) {
                        client.call(method, Map.of(), Duration.ofSeconds(10));
                    }
                }
            }
            System.err.println("jclaw: training run done");
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // a scratch dir in tmp
                    }
                });
            }
        }
    }
}
