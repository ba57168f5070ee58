package dev.jclaw.provider;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.jclaw.bench.ScriptedProviderServer;
import dev.jclaw.bench.ScriptedProviderServer.Api;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ModelSelection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Config, providers and listeners for provider tests against {@link ScriptedProviderServer}. */
final class ProviderFixture {
    /** Fast enough for tests, same shape as the default. */
    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(5));
    static final Duration TURN = Duration.ofSeconds(10);

    private ProviderFixture() {}

    static String wireApi(Api api) {
        return switch (api) {
            case OPENAI -> "openai-completions";
            case ANTHROPIC -> "anthropic-messages";
            case OLLAMA -> "ollama";
        };
    }

    static String baseUrl(ScriptedProviderServer server, Api api) {
        return switch (api) {
            case OPENAI -> server.openAiBaseUrl();
            case ANTHROPIC -> server.anthropicBaseUrl();
            case OLLAMA -> server.ollamaBaseUrl();
        };
    }

    /** A provider entry {@code id} speaking {@code api} to {@code server}, with a key. */
    static String provider(String id, ScriptedProviderServer server, Api api) {
        return "\"" + id + "\": {api: \"" + wireApi(api) + "\", baseUrl: \"" + baseUrl(server, api) + "\", apiKey: \"key-" + id + "\"}";
    }

    /** A config whose {@code models.providers} holds {@code entries}. */
    static JClawConfig config(Path dir, String... entries) {
        String text = "{ models: { providers: {" + String.join(",", entries) + "} } }";
        return parse(dir, text);
    }

    static JClawConfig parse(Path dir, String text) {
        try {
            Path file = dir.resolve("openclaw.json");
            Files.createDirectories(dir);
            return ConfigLoader.parse(text, file, Map.of("HOME", dir.toString(), "JCLAW_STATE_DIR", dir.resolve("state").toString())).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Providers providers(JClawConfig config, Map<String, String> env) {
        return Providers.from(config, FAST, new SimpleMeterRegistry(), env::get);
    }

    static ModelSelection select(String primary, String... fallbacks) {
        return new ModelSelection(ModelRef.parse(primary), Arrays.stream(fallbacks).map(ModelRef::parse).toList());
    }

    static ChatRequest ask(String text) {
        return new ChatRequest("You are terse.", List.of(new ChatMessage.User(text)), List.of());
    }

    /** Records what a turn streams. */
    static final class Recorder implements ChatListener {
        final List<String> deltas = new CopyOnWriteArrayList<>();
        final List<String> attempts = new CopyOnWriteArrayList<>();

        @Override
        public void onTextDelta(String delta) {
            deltas.add(delta);
        }

        @Override
        public void onAttempt(String provider, String model) {
            attempts.add(provider + "/" + model);
        }
    }

    /**
     * Live threads, virtual ones included, whose name starts with {@code prefix}: read from a JVM
     * thread dump, independently of the code under test.
     */
    static long threadsNamed(String prefix) {
        try {
            Path dump = Files.createTempFile("threads", ".json");
            Files.delete(dump);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            String json = Files.readString(dump);
            Files.delete(dump);
            return json.lines().filter(l -> l.contains("\"name\": \"" + prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
