package dev.jclaw.gateway;

import dev.jclaw.agent.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway: an {@link Engine} served over one port — OpenClaw's WebSocket protocol and the HTTP
 * endpoints (health, startup probe, Prometheus metrics, OpenAI-compatible chat, tool invocation).
 *
 * <h2>Design note: life and death</h2>
 * {@link #start} binds the port first, so a second gateway on the port fails at once, and answers
 * {@code /startupz} with 503 while the engine starts (the state-dir lock makes a second gateway on
 * the same state dir fail there). The gateway owns the engine from then on.
 * <p>
 * {@link #close()} is one ordered sequence, run once (CAS on the state), every step bounded and
 * every failure logged before the next step: stop accepting connections; tell clients
 * ({@code shutdown} event); abort every run (their {@code agent} requests get their final answer);
 * let writers flush briefly; close every connection (1012); interrupt and await the request handlers;
 * stop the HTTP server; close the engine,
 * which disposes every MCP runtime through the supervisor and releases the state dir. The caller
 * (the CLI's signal hook) bounds the whole by {@link GatewayOptions#shutdownTimeout()}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /** Where the gateway is in its life. */
    public enum State { STARTING, READY, DRAINING, CLOSED }

    /** Starts the engine, writing its meters to the gateway's registry. */
    @FunctionalInterface
    public interface EngineStarter {
        Engine start(MeterRegistry registry) throws IOException;
    }

    private final GatewayOptions options;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final String bootId = UUID.randomUUID().toString();
    private final long startedAt = System.currentTimeMillis();
    private final Clients clients;
    private final RunTracker runs = new RunTracker();
    private final ScheduledExecutorService timers;
    /** Every client request and handshake runs here, so that close() can interrupt and wait for them. */
    private final ExecutorService requests =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jclaw-req-", 0).factory());
    /** Jetty's blocking work: handlers and WebSocket callbacks. */
    private final ExecutorService httpVirtual =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jclaw-http-v", 0).factory());
    private final String version;
    private volatile Engine engine;
    private volatile Handshake handshake;
    private volatile Methods methods;
    private volatile Snapshots snapshots;
    private volatile EventBridge events;
    private volatile String startupFailure;
    private Server server;
    private ServerConnector connector;

    private Gateway(GatewayOptions options) {
        this.options = options;
        this.clients = new Clients(options.limits().maxConnections());
        // A virtual thread: an idle platform thread costs ~90 KiB of touched stack (the JVM's stack banging),
        // and the timer's tasks are short. Jetty's scheduler (idle timeouts) shares it.
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name("jclaw-gateway-timer").factory());
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
        String v = Gateway.class.getPackage().getImplementationVersion();
        this.version = v == null ? "dev" : v;
    }

    /**
     * Binds the port, then starts the engine and serves it.
     *
     * @throws GatewayStartException when the port cannot be bound or the bind is refused
     * @throws IOException           (and the engine's exceptions) when the engine cannot start; the port is released
     */
    public static Gateway start(GatewayOptions options, EngineStarter engine) throws IOException {
        options.checkExposure();
        Gateway gateway = new Gateway(options);
        try {
            gateway.listen();
            gateway.serve(engine.start(gateway.metrics.registry()));
        } catch (IOException | RuntimeException | Error e) {
            gateway.startupFailure = e.getMessage();
            gateway.stopServer();
            // serve() can fail after the engine started (an unreadable device key, say): the engine holds the state dir.
            Engine started = gateway.engine;
            if (started != null) started.close();
            gateway.timers.shutdownNow();
            gateway.requests.shutdownNow();
            gateway.metrics.close();
            throw e;
        }
        return gateway;
    }

    private void listen() {
        // Jetty sizes its padded counters by asking the JMX platform server whether oops are compressed; starting
        // JMX costs ~100 classes and some MiB at every start. References are 4 bytes under a heap below 32 GiB.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", Runtime.getRuntime().maxMemory() < (32L << 30) ? "16" : "8");
        }
        // Platform threads for Jetty's selector and non-blocking work (at least one: the selector's), virtual
        // threads for everything that blocks (handlers, WebSocket callbacks): a busy virtual thread can then never
        // starve the selector. A plain virtual-thread executor rather than Jetty's VirtualThreadPool, which keeps a
        // platform thread alive only to keep the JVM alive; the connection limit bounds the work instead.
        QueuedThreadPool pool = new QueuedThreadPool(8, 1);
        pool.setName("jclaw-http");
        pool.setReservedThreads(0);
        pool.setVirtualThreadsExecutor(httpVirtual);
        server = new Server(pool, new ScheduledExecutorScheduler(timers), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // One selector, accepting on it too: a gateway serves a handful of clients, not thousands.
        connector = new ServerConnector(server, 0, 1, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            // Jetty hands over text in pieces of at most this; Connection gathers them up to its own limits.
            container.setMaxFrameSize(64 * 1024);
            container.setAutoFragment(true);
            container.setMaxTextMessageSize(Long.MAX_VALUE);
            container.setMaxBinaryMessageSize(64 * 1024);
            container.setIdleTimeout(options.limits().pingInterval().multipliedBy(4));
            container.addMapping("/", (request, response, callback) -> {
                response.setExtensions(List.of()); // no permessage-deflate: frames stay small JSON, and it costs memory per client
                return new Connection(this);
            });
        });
        ws.setHandler(new HttpRoutes(this));
        server.setHandler(ws);
        server.setStopTimeout(2_000);
        server.addConnector(connector);
        try {
            server.start();
        } catch (Exception e) {
            stopServer();
            if (e instanceof IOException && (e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use"))) {
                throw new GatewayStartException("port " + options.port() + " on " + options.host() + " is in use: another gateway"
                        + " (or another program) is listening there. Stop it, or choose another port with --port or JCLAW_GATEWAY_PORT", e);
            }
            throw new GatewayStartException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    private void serve(Engine started) {
        this.engine = started;
        this.handshake = new Handshake(options, DeviceIdentity.open(started.stateDir()));
        this.snapshots = new Snapshots(this);
        Methods registry = new Methods(metrics);
        new SystemMethods(this).register(registry);
        new SessionMethods(this).register(registry);
        new AgentMethods(this).register(registry);
        new ToolMethods(this).register(registry);
        this.methods = registry;
        this.events = new EventBridge(started.agents(), runs, clients);
        started.agents().addListener(events);
        metrics.watchLanes(started.lanes()::status);
        long tick = options.tickInterval().toMillis();
        timers.scheduleAtFixedRate(() -> clients.broadcast("tick", Json.map("ts", System.currentTimeMillis())), tick, tick,
                TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(() -> {
            if (clients.size() > 0) clients.broadcast("health", snapshots.health());
        }, 60, 60, TimeUnit.SECONDS);
        state.set(State.READY);
        log.info("gateway ready on {} ({} agent(s), auth {})", url(), started.config().agents().size(), options.authMode());
    }

    /** The WebSocket URL clients connect to. */
    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "ws://" + host + ":" + port();
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    public State state() {
        return state.get();
    }

    public Engine engine() {
        return engine;
    }

    public GatewayOptions options() {
        return options;
    }

    /** The registry every layer's meters go to, exposed on {@code /metrics}. */
    public MeterRegistry registry() {
        return metrics.registry();
    }

    // ---- for the package ----

    Clients clients() {
        return clients;
    }

    Methods methods() {
        return methods;
    }

    Handshake handshake() {
        return handshake;
    }

    Snapshots snapshots() {
        return snapshots;
    }

    RunTracker runs() {
        return runs;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    String bootId() {
        return bootId;
    }

    long startedAt() {
        return startedAt;
    }

    String version() {
        return version;
    }

    String startupFailure() {
        return startupFailure;
    }

    void schedule(Duration delay, Runnable task) {
        try {
            timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the task's purpose (a timeout, a late disconnect) goes with the gateway
        }
    }

    /** Runs a client's request or handshake on a virtual thread the gateway owns; nothing runs once it is closing. */
    void submit(Runnable work) {
        try {
            requests.execute(work);
        } catch (RejectedExecutionException e) {
            // shutting down: the connection is being closed with 1012
        }
    }

    /** hello-ok: what the client may do and the state it starts from. */
    Object hello(Peer peer) {
        return snapshots.hello(peer);
    }

    /** The ordered, bounded shutdown; idempotent. */
    @Override
    public void close() {
        State before = state.getAndUpdate(s -> s == State.CLOSED ? s : State.DRAINING);
        if (before == State.DRAINING || before == State.CLOSED) return;
        long began = System.nanoTime();
        List<Throwable> failures = new ArrayList<>();
        step(failures, "stop accepting", () -> connector.close());
        step(failures, "announce shutdown", () -> clients.broadcast("shutdown", Json.map("reason", "gateway stopping")));
        Engine e = engine;
        if (e != null) step(failures, "abort runs", () -> e.agents().close());
        step(failures, "flush", this::awaitFlush);
        step(failures, "close connections", () -> clients.all().forEach(c -> c.close(1012, "gateway shutting down")));
        step(failures, "drain connections", this::awaitConnectionsClosed);
        step(failures, "stop requests", () -> {
            requests.shutdownNow(); // handlers still running (a history read, a session reset) end before the engine closes
            if (!requests.awaitTermination(2, TimeUnit.SECONDS)) log.warn("shutdown: requests still running after 2 s");
        });
        step(failures, "stop http", this::stopServer);
        if (e != null) step(failures, "close engine", e::close);
        step(failures, "timers", () -> timers.shutdownNow());
        step(failures, "metrics", metrics::close);
        state.set(State.CLOSED);
        log.info("gateway stopped in {} ms{}", (System.nanoTime() - began) / 1_000_000,
                failures.isEmpty() ? "" : " (" + failures.size() + " step(s) failed)");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<Throwable> failures, String name, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            failures.add(e);
            log.warn("shutdown step '{}' failed", name, e);
        }
    }

    /** Up to 500 ms for queued frames (final answers, the shutdown event) to reach their clients. */
    private void awaitFlush() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < deadline && clients.all().stream().anyMatch(c -> c.queuedCharacters() > 0)) Thread.sleep(10);
    }

    /** Up to 1.5 s for clients to answer the close frame (each is dropped after 1 s anyway). */
    private void awaitConnectionsClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        while (System.nanoTime() < deadline && clients.size() > 0) Thread.sleep(10);
    }

    private void stopServer() {
        try {
            if (server != null) server.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server failed", e);
        }
        httpVirtual.shutdownNow();
    }
}
