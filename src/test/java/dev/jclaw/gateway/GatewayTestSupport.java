package dev.jclaw.gateway;

import dev.jclaw.agent.Engine;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.provider.ModelClient;
import dev.jclaw.testing.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real gateway per test: an engine on a temporary state dir and a config written for the test,
 * Jetty on a free loopback port. Every test ends with the gateway closed and no process of its
 * supervisor alive, checked through /proc.
 */
abstract class GatewayTestSupport {
    static final String TOKEN = "test-token-0123456789";

    @TempDir
    Path home;

    Gateway gateway;
    Path configFile;
    Map<String, String> env;
    ModelClient models = TestModels.echo();
    private String instance;

    /** Agents a (default) and b on a test model; token auth. */
    static String defaultConfig() {
        return """
                {
                  agents: { list: [ { id: "a", default: true, model: "mock/echo" }, { id: "b", model: "mock/echo" } ] },
                  models: { providers: { mock: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: [ { id: "echo" } ] } } },
                  gateway: { auth: { mode: "token", token: "%s" } }
                }
                """.formatted(TOKEN);
    }

    Gateway start() throws Exception {
        return start(defaultConfig(), o -> o);
    }

    Gateway start(String config, java.util.function.UnaryOperator<GatewayOptions> tune) throws Exception {
        configFile = home.resolve("openclaw.json");
        Files.writeString(configFile, config);
        env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("JCLAW_STATE_DIR", home.resolve("state").toString());
        JClawConfig loaded = ConfigLoader.load(configFile, env).orElseThrow();
        GatewayOptions options = tune.apply(GatewayOptions.from(loaded, 0, null));
        gateway = Gateway.start(options, registry -> Engine.start(configFile, env, new Engine.Options(c -> models, registry, false)));
        instance = gateway.engine().supervisor().instanceId();
        return gateway;
    }

    URI ws() {
        return URI.create(gateway.url());
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String bearer, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    WsProbe client(String... scopes) throws Exception {
        return WsProbe.connected(ws(), TOKEN, scopes);
    }

    @AfterEach
    void nothingOfTheGatewayOutlivesIt() {
        if (gateway == null) return;
        gateway.close();
        assertThat(gateway.state()).isEqualTo(Gateway.State.CLOSED);
        List<Procs.Proc> left = Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(3));
        assertThat(left).as("processes of the gateway alive after it closed").isEmpty();
    }
}
