package dev.jclaw.gateway;

import dev.jclaw.agent.Engine;
import dev.jclaw.bench.ScriptedProviderServer;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.provider.Providers;
import dev.jclaw.provider.RetryPolicy;
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
 * Jetty on a free loopback port, models answered by a real scripted provider server over HTTP
 * (OpenAI chat completions). Every test ends with the gateway closed and no process of its
 * supervisor alive, checked through /proc.
 */
abstract class GatewayTestSupport {
    static final String TOKEN = "test-token-0123456789";

    @TempDir
    Path home;

    Gateway gateway;
    Path configFile;
    Map<String, String> env;
    ScriptedProviderServer provider;
    private String instance;

    /** Short backoffs: the same retries, quicker tests. */
    static final RetryPolicy QUICK_RETRY = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(40));
    /** Where configs name the scripted provider's OpenAI base URL. */
    static final String PROVIDER = "${PROVIDER}";

    /** Agents a (default) and b on the scripted provider; token auth. */
    static String defaultConfig() {
        return """
                {
                  agents: { list: [ { id: "a", default: true, model: "mock/echo" }, { id: "b", model: "mock/echo" } ] },
                  models: { providers: { mock: { baseUrl: "${PROVIDER}", apiKey: "test", api: "openai-completions", models: [ { id: "echo" } ] } } },
                  gateway: { auth: { mode: "token", token: "%s" } }
                }
                """.formatted(TOKEN);
    }

    /**
     * The model: "echo: <last user message>" in two deltas; a message {@code sleep:<ms>} is answered
     * after that delay (an abort cuts the HTTP call short, as with a real provider).
     */
    static Reply echo(dev.jclaw.bench.ScriptedRequest request) {
        String last = request.lastUserText();
        String text = "echo: " + last;
        int half = text.length() / 2;
        Reply reply = Reply.deltas(text.substring(0, half), text.substring(half));
        if (last.startsWith("sleep:")) reply = reply.withDelay(Duration.ofMillis(Long.parseLong(last.substring(6).strip())));
        return reply;
    }

    Gateway start() throws Exception {
        return start(defaultConfig(), o -> o);
    }

    Gateway start(String config, java.util.function.UnaryOperator<GatewayOptions> tune) throws Exception {
        if (provider == null) provider = ScriptedProviderServer.start(GatewayTestSupport::echo);
        configFile = home.resolve("openclaw.json");
        Files.writeString(configFile, config.replace(PROVIDER, provider.openAiBaseUrl()));
        env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("JCLAW_STATE_DIR", home.resolve("state").toString());
        JClawConfig loaded = ConfigLoader.load(configFile, env).orElseThrow();
        GatewayOptions options = tune.apply(GatewayOptions.from(loaded, 0, null));
        gateway = Gateway.start(options, registry -> Engine.start(configFile, env,
                new Engine.Options(c -> Providers.from(c, QUICK_RETRY, registry), registry, false)));
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
        try {
            if (gateway == null) return;
            gateway.close();
            assertThat(gateway.state()).isEqualTo(Gateway.State.CLOSED);
            List<Procs.Proc> left = Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(3));
            assertThat(left).as("processes of the gateway alive after it closed").isEmpty();
        } finally {
            if (provider != null) provider.close();
        }
    }
}
