package dev.jclaw.agent;

import dev.jclaw.bench.ScriptedProviderServer;
import dev.jclaw.provider.Providers;
import dev.jclaw.provider.RetryPolicy;
import dev.jclaw.testing.Procs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole engine per test, on a real state dir, talking to a real scripted provider server over HTTP
 * and to real MCP servers. Every test ends with the engine closed and no process of it alive.
 */
abstract class EngineTestSupport {
    /** Short backoffs: the retry sequence is the same, the tests are quicker. */
    static final RetryPolicy QUICK_RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40));

    @TempDir
    Path dir;

    ScriptedProviderServer provider;
    Engine engine;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Starts the scripted provider (script set later per test) and an engine on {@code configJson}. */
    Engine engine(String configJson) throws Exception {
        return engine(configJson, false);
    }

    /** As {@link #engine(String)}, hot-reloading {@code dir/openclaw.json} when {@code watch}. */
    Engine engine(String configJson, boolean watch) throws Exception {
        if (provider == null) provider = ScriptedProviderServer.start(request -> ScriptedProviderServer.Reply.text("(no script)"));
        Path config = dir.resolve("openclaw.json");
        Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(config, configJson.replace("${PROVIDER}", provider.openAiBaseUrl())
                .replace("${ANTHROPIC}", provider.anthropicBaseUrl()).replace("${DIR}", dir.toString()));
        engine = Engine.start(config, Map.of("JCLAW_STATE_DIR", dir.resolve("state").toString()),
                new Engine.Options(c -> Providers.from(c, QUICK_RETRY, registry), registry, watch));
        return engine;
    }

    /** One agent "main" on model scripted/m1, with the given MCP servers section (JSON5). */
    Engine engineWithServers(String mcpServers) throws Exception {
        return engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  mcp: { servers: { %s } },
                  agents: { list: [ { id: "main", model: "scripted/m1", workspace: "${DIR}/workspace" } ] },
                }
                """.formatted(mcpServers));
    }

    /** Processes of this engine's supervisor still alive. */
    List<Procs.Proc> processes(String fragment) {
        return Procs.ownedBy(engine.supervisor().instanceId()).stream().filter(p -> p.command().contains(fragment)).toList();
    }

    int leases() {
        return engine.mcp().status().stream().mapToInt(dev.jclaw.mcp.McpStatus.Runtime::leases).sum();
    }

    @AfterEach
    void nothingOutlivesTheEngine() {
        if (engine != null) {
            String instance = engine.supervisor().instanceId();
            engine.close();
            assertThat(Procs.awaitNoneOwnedBy(instance, Duration.ofSeconds(2))).as("processes after the engine closed").isEmpty();
        }
        if (provider != null) provider.close();
        assertThat(Procs.awaitNoZombies(Duration.ofSeconds(5))).isEmpty();
    }
}
