package dev.jclaw.provider;

import dev.jclaw.bench.ScriptedProviderServer;
import dev.jclaw.bench.ScriptedProviderServer.Api;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ProviderConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.jclaw.provider.ProviderFixture.TURN;
import static dev.jclaw.provider.ProviderFixture.ask;
import static dev.jclaw.provider.ProviderFixture.parse;
import static dev.jclaw.provider.ProviderFixture.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a config (and the environment) makes of providers: inference, keys, headers, refusals, meters. */
class ProviderConfigTest {
    @TempDir
    Path dir;

    private final ScriptedProviderServer server = ScriptedProviderServer.start(r -> Reply.text("ok"));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withNoModelAChatFailsAtOnceNamingWhatWouldFixIt() {
        try (var providers = ProviderFixture.providers(parse(dir, "{}"), Map.of())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> providers.chat(null, ask("hi"), null, TURN))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_CONFIGURED);
                        assertThat(e.getMessage()).contains("agents.defaults.model", "agents.list[].model", "ANTHROPIC_API_KEY",
                                "OPENAI_API_KEY", "\"ollama/", "models.providers.<id>");
                        assertThat(e.attempts()).isEmpty();
                    });
            // At once: nothing is dialled (a connect attempt alone would be seconds); slack for a busy CI machine.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void aWellKnownProviderWithoutAKeyIsNotConfiguredAndTheMessageNamesTheKeyAndTheVariable() {
        try (var providers = ProviderFixture.providers(parse(dir, "{}"), Map.of())) {
            assertThatThrownBy(() -> providers.chat(select("openai/gpt-4.1", "anthropic/claude-sonnet-4-5"), ask("hi"), null, TURN))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_CONFIGURED);
                        assertThat(e.getMessage()).contains(
                                "openai/gpt-4.1: not configured: no API key for provider \"openai\" (set OPENAI_API_KEY in the environment or models.providers.openai.apiKey)",
                                "anthropic/claude-sonnet-4-5: not configured: no API key for provider \"anthropic\" (set ANTHROPIC_API_KEY",
                                "\"ollama/<model>\"");
                    });
        }
    }

    @Test
    void wellKnownProvidersAreInferredWithTheirUsualEndpointsAndKeyVariables() {
        var env = Map.of("OPENAI_API_KEY", "sk-env", "ANTHROPIC_API_KEY", "an-env", "OPENROUTER_API_KEY", "or-env");
        Endpoints endpoints = new Endpoints(parse(dir, "{}"), env::get);

        assertThat(endpoints.resolve(new ModelRef("openai", "gpt-4.1"))).isEqualTo(new Endpoint("openai", ProviderConfig.Api.OPENAI_COMPLETIONS,
                "https://api.openai.com/v1", dev.jclaw.config.Secret.of("sk-env"), Map.of(), Map.of()));
        assertThat(endpoints.resolve(new ModelRef("anthropic", "claude"))).isEqualTo(new Endpoint("anthropic", ProviderConfig.Api.ANTHROPIC_MESSAGES,
                "https://api.anthropic.com/v1", dev.jclaw.config.Secret.of("an-env"), Map.of(), Map.of()));
        assertThat(endpoints.resolve(new ModelRef("openrouter", "anthropic/claude"))).isEqualTo(new Endpoint("openrouter", ProviderConfig.Api.OPENAI_COMPLETIONS,
                "https://openrouter.ai/api/v1", dev.jclaw.config.Secret.of("or-env"), Map.of(), Map.of()));
        assertThat(endpoints.resolve(new ModelRef("ollama", "llama3.2"))).isEqualTo(new Endpoint("ollama", ProviderConfig.Api.OLLAMA,
                "http://127.0.0.1:11434", null, Map.of(), Map.of()));
    }

    @Test
    void aKeyFromEnvVarsInTheConfigServesWhenTheEnvironmentHasNone() {
        Endpoints endpoints = new Endpoints(parse(dir, "{ env: { vars: { OPENAI_API_KEY: \"sk-config-env\" } } }"), k -> null);
        assertThat(endpoints.resolve(new ModelRef("openai", "gpt"))).isInstanceOfSatisfying(Endpoint.class,
                e -> assertThat(e.apiKey().reveal()).isEqualTo("sk-config-env"));
    }

    @Test
    void baseUrlsAreAdaptedToEachClientAsOpenClawWritesThem() {
        JClawConfig config = parse(dir, """
                { models: { providers: {
                    claude: { api: "anthropic-messages", baseUrl: "https://proxy.example/anthropic", apiKey: "k" },
                    claude2: { api: "anthropic-messages", baseUrl: "https://proxy.example/v1/", apiKey: "k" },
                    local: { api: "ollama", baseUrl: "http://gpu-box:11434/v1" },
                    vllm: { baseUrl: "http://gpu-box:8000/v1" } } } }""");
        Endpoints endpoints = new Endpoints(config, k -> null);
        assertThat(((Endpoint) endpoints.resolve(new ModelRef("claude", "m"))).baseUrl()).isEqualTo("https://proxy.example/anthropic/v1");
        assertThat(((Endpoint) endpoints.resolve(new ModelRef("claude2", "m"))).baseUrl()).isEqualTo("https://proxy.example/v1");
        assertThat(((Endpoint) endpoints.resolve(new ModelRef("local", "m"))).baseUrl()).isEqualTo("http://gpu-box:11434");
        Endpoint vllm = (Endpoint) endpoints.resolve(new ModelRef("vllm", "m"));
        assertThat(vllm.api()).as("a custom provider without api speaks openai-completions").isEqualTo(ProviderConfig.Api.OPENAI_COMPLETIONS);
        assertThat(vllm.apiKey()).as("a local OpenAI-compatible server needs no key").isNull();
    }

    @Test
    void anAnthropicProviderWithoutAKeyIsNotConfigured() {
        Endpoints endpoints = new Endpoints(parse(dir, "{ models: { providers: { claude: { api: \"anthropic-messages\", baseUrl: \"https://x.example\" } } } }"), k -> null);
        assertThat(endpoints.resolve(new ModelRef("claude", "m"))).isEqualTo(new Endpoints.Unavailable(
                "no API key for provider \"claude\" (the Anthropic messages API needs one: set models.providers.claude.apiKey)"));
    }

    @Test
    void theConfigKeyWinsOverTheEnvironmentVariableAndBothReachTheWire() {
        JClawConfig config = parse(dir, "{ models: { providers: {"
                + " openai: { baseUrl: \"" + server.openAiBaseUrl() + "\" },"
                + " anthropic: { baseUrl: \"" + server.anthropicBaseUrl() + "\", apiKey: \"an-config\" } } } }");
        try (var providers = ProviderFixture.providers(config, Map.of("OPENAI_API_KEY", "sk-env", "ANTHROPIC_API_KEY", "an-env"))) {
            providers.chat(select("openai/gpt-4.1"), ask("hi"), null, TURN);
            assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer sk-env");
            providers.chat(select("anthropic/claude"), ask("hi"), null, TURN);
            assertThat(server.lastRequest().header("x-api-key")).isEqualTo("an-config");
            assertThat(server.lastRequest().api()).isEqualTo(Api.ANTHROPIC);
        }
    }

    @Test
    void configuredHeadersAreSentWithEveryRequest() {
        JClawConfig config = parse(dir, "{ models: { providers: { p: { api: \"openai-completions\", baseUrl: \"" + server.openAiBaseUrl()
                + "\", headers: { \"X-Title\": \"JClaw\", \"HTTP-Referer\": \"https://jclaw.dev\" } } } } }");
        try (var providers = ProviderFixture.providers(config, Map.of())) {
            providers.chat(select("p/m"), ask("hi"), null, TURN);
            assertThat(server.lastRequest().header("x-title")).isEqualTo("JClaw");
            assertThat(server.lastRequest().header("http-referer")).isEqualTo("https://jclaw.dev");
        }
    }

    @Test
    void openAiResponsesIsServedThroughChatCompletionsOfTheSameBaseUrl() {
        JClawConfig config = parse(dir, "{ models: { providers: { p: { api: \"openai-responses\", baseUrl: \"" + server.openAiBaseUrl() + "\", apiKey: \"k\" } } } }");
        try (var providers = ProviderFixture.providers(config, Map.of())) {
            assertThat(providers.chat(select("p/gpt-5"), ask("hi"), null, TURN).text()).isEqualTo("ok");
            assertThat(server.lastRequest().api()).isEqualTo(Api.OPENAI);
        }
    }

    @Test
    void anthropicGetsTheDeclaredOutputLimitOrEightThousandTokens() {
        JClawConfig config = parse(dir, "{ models: { providers: { p: { api: \"anthropic-messages\", baseUrl: \"" + server.anthropicBaseUrl()
                + "\", apiKey: \"k\", models: [{ id: \"big\", maxTokens: 64000 }] } } } }");
        try (var providers = ProviderFixture.providers(config, Map.of())) {
            providers.chat(select("p/big"), ask("hi"), null, TURN);
            providers.chat(select("p/small"), ask("hi"), null, TURN);
        }
        assertThat(server.requests()).extracting(r -> r.body().path("max_tokens").asInt()).containsExactly(64000, ModelFactory.DEFAULT_ANTHROPIC_MAX_TOKENS);
    }

    @Test
    void turnsAndAttemptsAreMeteredByProviderModelAndOutcome() {
        var registry = new SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server.script(r -> calls.incrementAndGet() == 1 ? Reply.error(429, "slow down") : Reply.text("ok"));
        JClawConfig config = ProviderFixture.config(dir, ProviderFixture.provider("p", server, Api.OPENAI));
        try (var providers = Providers.from(config, ProviderFixture.FAST, registry, k -> null)) {
            providers.chat(select("p/m"), ask("hi"), null, TURN);
            assertThatThrownBy(() -> providers.chat(null, ask("hi"), null, TURN)).isInstanceOf(ProviderException.class);
        }
        assertThat(registry.get("jclaw.provider.attempts").tags("provider", "p", "model", "m", "outcome", "rate_limited").counter().count()).isEqualTo(1);
        assertThat(registry.get("jclaw.provider.attempts").tags("provider", "p", "model", "m", "outcome", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("jclaw.provider.turns").tags("provider", "p", "model", "m", "outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(registry.get("jclaw.provider.turns").tags("outcome", "not_configured").timer().count()).isEqualTo(1);
    }

    @Test
    void aClosedProvidersRefusesNewTurns() {
        var providers = ProviderFixture.providers(parse(dir, "{}"), Map.of());
        providers.close();
        assertThatThrownBy(() -> providers.chat(null, ask("hi"), null, TURN)).isInstanceOf(IllegalStateException.class);
    }
}
