package dev.jclaw.gateway;

import dev.jclaw.lane.Lanes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Prometheus registry every layer writes to, plus the gateway's own meters: connections, refused
 * frames by reason, slow consumers cut off, requests by method and outcome, lanes (read at scrape
 * time, as lanes come and go), and the JVM's. The JVM's meters are bound at the first scrape: they
 * start the JMX platform server, a cost of start-up time and memory a gateway nobody scrapes
 * should not pay (GC pauses before the first scrape are not counted).
 */
final class GatewayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter slowConsumers;
    private volatile JvmGcMetrics gc;
    private volatile Supplier<List<Lanes.LaneStatus>> lanes = List::of;
    private final MultiGauge laneActive;
    private final MultiGauge laneWaiting;
    private final MultiGauge laneLimit;

    GatewayMetrics() {
        Gauge.builder("jclaw.gateway.connections", connections::get).description("WebSocket clients connected (past the handshake)")
                .register(registry);
        slowConsumers = Counter.builder("jclaw.gateway.slow.consumers").description("Clients cut off for not reading their frames")
                .register(registry);
        laneActive = MultiGauge.builder("jclaw.lanes.active").description("Runs holding a lane permit").register(registry);
        laneWaiting = MultiGauge.builder("jclaw.lanes.waiting").description("Runs queued for a lane").register(registry);
        laneLimit = MultiGauge.builder("jclaw.lanes.limit").description("Runs a lane admits at once").register(registry);
    }

    private synchronized void bindJvm() {
        if (gc != null) return;
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics pauses = new JvmGcMetrics();
        pauses.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gc = pauses;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    void watchLanes(Supplier<List<Lanes.LaneStatus>> status) {
        this.lanes = status;
    }

    /** The Prometheus text exposition, lanes refreshed first. */
    String scrape() {
        if (gc == null) bindJvm();
        List<Lanes.LaneStatus> now = lanes.get();
        laneActive.register(now.stream().map(l -> MultiGauge.Row.of(Tags.of("lane", l.name()), l.active())).toList(), true);
        laneWaiting.register(now.stream().map(l -> MultiGauge.Row.of(Tags.of("lane", l.name()), l.waiting())).toList(), true);
        laneLimit.register(now.stream().map(l -> MultiGauge.Row.of(Tags.of("lane", l.name()), l.limit())).toList(), true);
        return registry.scrape();
    }

    void connected(Peer peer) {
        connections.incrementAndGet();
        Counter.builder("jclaw.gateway.handshakes").tag("client", peer.clientId()).tag("mode", peer.clientMode())
                .tag("auth", peer.authMethod()).tag("device", peer.deviceId() == null ? "none" : "verified").description("Clients that completed the handshake").register(registry).increment();
    }

    void disconnected() {
        connections.decrementAndGet();
    }

    void rejected(String reason) {
        Counter.builder("jclaw.gateway.frames.rejected").tag("reason", reason).description("Frames or handshakes refused")
                .register(registry).increment();
    }

    void slowConsumer() {
        slowConsumers.increment();
    }

    void request(String method, String outcome) {
        Counter.builder("jclaw.gateway.requests").tag("method", method).tag("outcome", outcome)
                .description("WebSocket requests answered").register(registry).increment();
    }

    void http(String route, int status) {
        Counter.builder("jclaw.gateway.http.requests").tag("route", route).tag("status", Integer.toString(status))
                .description("HTTP requests answered").register(registry).increment();
    }

    @Override
    public void close() {
        JvmGcMetrics pauses = gc;
        if (pauses != null) pauses.close();
        registry.close();
    }
}
