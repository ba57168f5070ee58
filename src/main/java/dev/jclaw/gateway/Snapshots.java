package dev.jclaw.gateway;

import dev.jclaw.agent.Engine;
import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionQuery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state clients see: the hello-ok payload, the {@code health} and {@code status} payloads and
 * presence, in OpenClaw's shapes (its CLI requires {@code sessions.byAgent[]} and
 * {@code channelSummary[]} in {@code status}), with JClaw's own numbers under {@code jclaw}.
 */
final class Snapshots {
    /** Recent sessions listed per agent. */
    private static final int RECENT = 5;

    private final Gateway gateway;

    Snapshots(Gateway gateway) {
        this.gateway = gateway;
    }

    private Engine engine() {
        return gateway.engine();
    }

    Object hello(Peer peer) {
        JClawConfig config = engine().config();
        Map<String, Object> auth = Json.map("method", peer.authMethod(), "role", peer.role(), "scopes", List.copyOf(peer.scopes()));
        if (peer.deviceToken() != null) {
            auth.put("deviceToken", peer.deviceToken());
            auth.put("issuedAtMs", peer.connectedAt());
        }
        GatewayOptions.Limits limits = gateway.options().limits();
        return Json.map(
                "type", "hello-ok",
                "protocol", peer.protocol(),
                "server", Json.map("version", gateway.version(), "name", "jclaw", "bootId", gateway.bootId(), "connId", peer.connId()),
                "features", Json.map("methods", gateway.methods().names(), "events", List.of("connect.challenge", "agent", "chat", "tick",
                        "health", "shutdown", "sessions.changed"), "capabilities", List.of()),
                "snapshot", Json.map("presence", presence(), "health", health(), "stateVersion", Json.map("presence", 1, "health", 1),
                        "uptimeMs", uptime(), "configPath", config.source() == null ? null : config.source().toString(),
                        "stateDir", engine().stateDir().toString(), "sessionDefaults", sessionDefaults(config),
                        "authMode", gateway.handshake().authMode()),
                "auth", auth,
                "policy", Json.map("maxPayload", limits.maxPayload(), "maxBufferedBytes", limits.maxBufferedBytes(),
                        "tickIntervalMs", gateway.options().tickInterval().toMillis()));
    }

    Map<String, Object> sessionDefaults(JClawConfig config) {
        String defaultId = config.defaultAgentId() != null ? config.defaultAgentId() : config.agents().getFirst().id();
        return Json.map("defaultAgentId", defaultId, "selectionRequired", config.defaultAgentId() == null,
                "mainKey", config.session().mainKey(), "mainSessionKey", config.session().mainSessionKey(defaultId).toString(),
                "scope", config.session().scope().toString());
    }

    long uptime() {
        return System.currentTimeMillis() - gateway.startedAt();
    }

    /** The health snapshot: per-agent sessions, plus JClaw's runs, MCP runtimes and processes. */
    Map<String, Object> health() {
        long began = System.nanoTime();
        Engine engine = engine();
        JClawConfig config = engine.config();
        Map<String, Long> counts = engine.store().countByAgent();
        String path = engine.stateDir().resolve("sessions.db").toString();
        long now = System.currentTimeMillis();
        List<Map<String, Object>> agents = new ArrayList<>();
        for (AgentConfig agent : config.agents()) {
            agents.add(Json.map("agentId", agent.id(), "name", agent.name() != null ? agent.name() : agent.identity().name(),
                    "isDefault", agent.id().equals(config.defaultAgentId()),
                    "heartbeat", Json.map("enabled", false, "every", "off", "everyMs", null, "prompt", "", "target", "none", "ackMaxChars", 0),
                    "sessions", sessionSummary(path, counts.getOrDefault(agent.id(), 0L), SessionQuery.all().agent(agent.id()), now)));
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> health = Json.map("ok", true, "ts", now);
        health.put("configReload", Json.map("hotReloadStatus", "active"));
        health.put("heartbeatSeconds", 0);
        if (config.defaultAgentId() != null) health.put("defaultAgentId", config.defaultAgentId());
        health.put("agents", agents);
        health.put("sessions", sessionSummary(path, total, SessionQuery.all(), now));
        health.put("channels", Map.of());
        health.put("channelOrder", List.of());
        health.put("channelLabels", Map.of());
        health.put("jclaw", jclaw());
        health.put("durationMs", (System.nanoTime() - began) / 1_000_000);
        return health;
    }

    private Map<String, Object> sessionSummary(String path, long count, SessionQuery query, long now) {
        List<Map<String, Object>> recent = new ArrayList<>();
        for (SessionEntry e : engine().store().list(query.limit(RECENT))) {
            long updated = e.updatedAt().toEpochMilli();
            recent.add(Json.map("key", e.key().toString(), "updatedAt", updated, "age", Math.max(0, now - updated)));
        }
        return Json.map("path", path, "count", count, "recent", recent);
    }

    /** JClaw's own numbers, beside OpenClaw's fields. */
    Map<String, Object> jclaw() {
        Engine engine = engine();
        return Json.map("version", gateway.version(), "uptimeMs", uptime(), "state", gateway.state().name().toLowerCase(),
                "connections", gateway.clients().size(), "runsActive", engine.agents().active().size(),
                "mcp", Json.map("runtimes", engine.mcp().liveRuntimes(), "processes", engine.mcp().liveProcesses()),
                "supervisor", Json.map("instanceId", engine.supervisor().instanceId(), "launchChain", engine.supervisor().launchChain().id(),
                        "liveChildren", engine.supervisor().liveChildren()),
                "lanes", engine.lanes().status());
    }

    /** The status payload; {@code cliProjection} adds the agent rows OpenClaw's CLI shows. */
    Map<String, Object> status(boolean cliProjection) {
        Engine engine = engine();
        JClawConfig config = engine.config();
        Map<String, Long> counts = engine.store().countByAgent();
        String path = engine.stateDir().resolve("sessions.db").toString();
        long now = System.currentTimeMillis();
        List<Map<String, Object>> byAgent = new ArrayList<>();
        for (AgentConfig agent : config.agents()) {
            Map<String, Object> row = new LinkedHashMap<>(Json.map("agentId", agent.id()));
            row.putAll(sessionSummary(path, counts.getOrDefault(agent.id(), 0L), SessionQuery.all().agent(agent.id()), now));
            byAgent.add(row);
        }
        Map<String, Object> sessions = new LinkedHashMap<>(sessionSummary(path,
                counts.values().stream().mapToLong(Long::longValue).sum(), SessionQuery.all(), now));
        sessions.put("defaults", sessionDefaults(config));
        sessions.put("byAgent", byAgent);
        Map<String, Object> status = Json.map("sessions", sessions, "channelSummary", List.of(), "heartbeat",
                Json.map("defaultAgentId", config.defaultAgentId(), "agents", List.of()));
        if (cliProjection) {
            String defaultId = config.defaultAgentId();
            status.put("cliProjection", Json.map("agents", Json.map("defaultId", defaultId,
                    "ownership", defaultId == null ? "explicit" : "default", "selectionRequired", defaultId == null,
                    "rows", config.agents().stream().map(a -> Json.map("id", a.id(), "name", a.name() != null ? a.name() : a.id())).toList())));
        }
        status.put("jclaw", jclaw());
        return status;
    }

    /** Connected clients, as OpenClaw's presence entries. */
    List<Map<String, Object>> presence() {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Peer p : gateway.clients().peers()) {
            entries.add(Json.map("clientId", p.clientId(), "mode", p.clientMode(), "version", p.clientVersion(), "platform", p.platform(),
                    "instanceId", p.instanceId(), "ip", p.remoteAddress(), "deviceId", p.deviceId(), "roles", List.of(p.role()),
                    "scopes", List.copyOf(p.scopes()), "text", p.displayName(), "ts", p.connectedAt(), "onlineSince", p.connectedAt()));
        }
        return entries;
    }
}
