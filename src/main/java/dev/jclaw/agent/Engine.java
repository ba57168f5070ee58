package dev.jclaw.agent;

import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigWatcher;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.StateDir;
import dev.jclaw.lane.Lanes;
import dev.jclaw.mcp.McpRuntimeManager;
import dev.jclaw.mcp.McpServers;
import dev.jclaw.process.ProcessSupervisor;
import dev.jclaw.process.SupervisorOptions;
import dev.jclaw.provider.ModelClient;
import dev.jclaw.session.SessionStore;
import dev.jclaw.session.StateLock;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Everything of a gateway but the network: config (watched), the state-dir lock, the process
 * supervisor, the session store, the MCP runtime manager, the model client, the lanes and the agent
 * service. The gateway serves it; {@code jclaw agent --local} runs one in-process.
 * <p>
 * {@link #close()} takes it down in one ordered sequence — stop watching config, abort runs (they
 * close their leases), dispose every MCP runtime, close the models, the store, the supervisor (which
 * kills anything still alive) and release the lock — each step bounded, every failure logged and
 * the next step still taken.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    /**
     * @param models    makes the model client from a config (and is asked again on reload)
     * @param registry  where every layer's meters go
     * @param watch     whether to hot-reload the config file
     */
    public record Options(Function<JClawConfig, ModelClient> models, MeterRegistry registry, boolean watch) {}

    private final Path stateDir;
    private final AtomicReference<JClawConfig> config;
    private final StateLock lock;
    private final ProcessSupervisor supervisor;
    private final SessionStore store;
    private final McpRuntimeManager mcp;
    private final SwitchableModels models;
    private final Lanes lanes;
    private final AgentService agents;
    private final ConfigWatcher watcher;
    private final MeterRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Engine(Path configFile, Map<String, String> env, JClawConfig initial, Options options) throws IOException {
        this.stateDir = StateDir.resolve(env);
        this.registry = options.registry();
        this.config = new AtomicReference<>(initial);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            lock = StateLock.acquire(stateDir, "gateway");
            started.add(lock);
            supervisor = ProcessSupervisor.start(SupervisorOptions.defaults(StateDir.runDir(stateDir)).withRegistry(registry));
            started.add(supervisor);
            store = SessionStore.open(lock);
            started.add(store);
            mcp = new McpRuntimeManager(supervisor, McpServers.limits(initial, McpRuntimeManager.Limits.DEFAULT), registry);
            started.add(mcp);
            models = new SwitchableModels(options.models(), initial);
            started.add(models);
            lanes = new Lanes(initial.maxConcurrent(), initial.subagentMaxConcurrent());
            agents = new AgentService(config::get, store, mcp, models, lanes, registry);
            started.add(agents);
            watcher = options.watch() ? ConfigWatcher.start(configFile, env, initial, (next, warnings) -> apply(next)) : null;
        } catch (IOException | RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) closeQuietly(started.get(i));
            throw e;
        }
    }

    /**
     * Loads the config, takes the state-dir lock and starts every layer.
     *
     * @throws dev.jclaw.config.InvalidConfigException listing every problem of the config
     * @throws dev.jclaw.session.StateLockedException  when another gateway holds the state dir
     */
    public static Engine start(Path configFile, Map<String, String> env, Options options) throws IOException {
        return start(configFile, env, ConfigLoader.load(configFile, env).orElseThrow(), options);
    }

    /** As {@link #start(Path, Map, Options)} with the config its caller already loaded from {@code configFile}. */
    public static Engine start(Path configFile, Map<String, String> env, JClawConfig loaded, Options options) throws IOException {
        return new Engine(configFile, env, loaded, options);
    }

    /** A reloaded config: new runs use it; lanes and caps resize; changed MCP servers are retired; models rebuilt (turns in flight finish on the old client). */
    private void apply(JClawConfig next) {
        config.set(next);
        lanes.resize(next.maxConcurrent(), next.subagentMaxConcurrent());
        mcp.reconfigure(McpServers.all(next), McpServers.limits(next, McpRuntimeManager.Limits.DEFAULT));
        models.reload(next);
        log.info("config reloaded: {} agent(s)", next.agents().size());
    }

    public JClawConfig config() {
        return config.get();
    }

    public AgentService agents() {
        return agents;
    }

    public SessionStore store() {
        return store;
    }

    public McpRuntimeManager mcp() {
        return mcp;
    }

    public ProcessSupervisor supervisor() {
        return supervisor;
    }

    public Lanes lanes() {
        return lanes;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The ordered, bounded shutdown; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (watcher != null) closeQuietly(watcher);
        closeQuietly(agents);
        closeQuietly(mcp);
        closeQuietly(models);
        closeQuietly(store);
        closeQuietly(supervisor);
        closeQuietly(lock);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("shutdown: closing {} failed", resource.getClass().getSimpleName(), e);
        }
    }

    /**
     * The model client of the config in effect. A reload swaps it; the old one is closed when the
     * last model turn using it returns, never under a turn in flight (closing it would break the
     * turn's stream).
     */
    private static final class SwitchableModels implements ModelClient, AutoCloseable {
        private final Function<JClawConfig, ModelClient> factory;
        private final AtomicReference<Generation> current;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        /** A client and its users: the reference from {@code current} counts as one; at zero it is closed. */
        private static final class Generation {
            final ModelClient client;
            final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger(1);

            Generation(ModelClient client) {
                this.client = client;
            }

            /** False once the generation was released for good (it is then no longer current). */
            boolean enter() {
                for (int n = users.get(); n > 0; n = users.get()) {
                    if (users.compareAndSet(n, n + 1)) return true;
                }
                return false;
            }

            void exit() {
                if (users.decrementAndGet() == 0 && client instanceof AutoCloseable closeable) closeQuietly(closeable);
            }
        }

        SwitchableModels(Function<JClawConfig, ModelClient> factory, JClawConfig config) {
            this.factory = factory;
            this.current = new AtomicReference<>(new Generation(factory.apply(config)));
        }

        synchronized void reload(JClawConfig config) {
            if (closed.get()) return;
            current.getAndSet(new Generation(factory.apply(config))).exit();
        }

        @Override
        public dev.jclaw.provider.ChatResult chat(dev.jclaw.config.ModelSelection selection, dev.jclaw.provider.ChatRequest request,
                                                  dev.jclaw.provider.ChatListener listener, java.time.Duration timeout) {
            while (true) {
                if (closed.get()) throw new IllegalStateException("the model clients are closed: the gateway is shutting down");
                Generation generation = current.get();
                if (!generation.enter()) continue; // swapped out and released just now: take the new one
                try {
                    return generation.client.chat(selection, request, listener, timeout);
                } finally {
                    generation.exit();
                }
            }
        }

        @Override
        public synchronized void close() {
            if (closed.compareAndSet(false, true)) current.get().exit();
        }
    }
}
