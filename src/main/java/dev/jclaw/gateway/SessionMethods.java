package dev.jclaw.gateway;

import dev.jclaw.agent.RunHandle;
import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.gateway.Params.Kind;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionQuery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code sessions.list}, {@code sessions.resolve}, {@code sessions.reset}, {@code sessions.delete}. */
final class SessionMethods {
    private final Gateway gateway;

    SessionMethods(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(Methods methods) {
        methods.add("sessions.list", Peer.READ, Params.of("sessions.list").optional("limit", Kind.INTEGER_MIN1)
                .optional("agentId", Kind.NON_EMPTY_STRING).optional("activeMinutes", Kind.INTEGER_MIN1)
                .optional("spawnedBy", Kind.NON_EMPTY_STRING).optional("label", Kind.STRING).optional("search", Kind.STRING)
                .accepts("offset", "activeOnly", "requireLastInteraction", "sortBy", "includeGlobal", "includeUnknown", "excludeSubagents",
                        "excludeCron", "excludeSystem", "configuredAgentsOnly", "includeDerivedTitles", "includeLastMessage",
                        "includeActivitySummary", "projectId", "workspaceDir", "group", "pinned", "boardFace", "hasBoard", "creatorId",
                        "ownerId", "ownerFirst", "involvingMe", "profileRelation", "involvingProfileId", "includePeople", "archived"),
                this::list);
        methods.add("sessions.resolve", Peer.READ, Params.of("sessions.resolve").optional("key", Kind.NON_EMPTY_STRING)
                .optional("sessionId", Kind.NON_EMPTY_STRING).optional("label", Kind.NON_EMPTY_STRING).optional("agentId", Kind.NON_EMPTY_STRING)
                .optional("spawnedBy", Kind.NON_EMPTY_STRING).optional("allowMissing", Kind.BOOLEAN)
                .accepts("reference", "shortId", "slugHint", "includeGlobal", "includeUnknown"), this::resolve);
        methods.add("sessions.reset", Peer.ADMIN, Params.of("sessions.reset").required("key", Kind.NON_EMPTY_STRING)
                .optional("agentId", Kind.NON_EMPTY_STRING).optionalChoice("reason", "new", "reset")
                .optional("expectedSessionId", Kind.NON_EMPTY_STRING), this::reset);
        methods.add("sessions.delete", Peer.ADMIN, Params.of("sessions.delete").required("key", Kind.NON_EMPTY_STRING)
                .optional("agentId", Kind.NON_EMPTY_STRING).optional("deleteTranscript", Kind.BOOLEAN)
                .optional("expectedSessionId", Kind.NON_EMPTY_STRING)
                .accepts("expectedLifecycleRevision", "expectedSessionUpdatedAt", "emitLifecycleHooks", "archivedOnly"), this::delete);
    }

    /**
     * The session a request names: a full {@code agent:<id>:<rest>} key, or a key scoped to
     * {@code agentId} (else the default agent) the way OpenClaw scopes {@code main} and {@code foo}.
     */
    static SessionKey key(JClawConfig config, String agentId, String requested) {
        if (requested != null && requested.strip().toLowerCase().startsWith("agent:")) {
            SessionKey key = SessionKey.parse(requested);
            if (agentId != null && !key.agentId().equals(dev.jclaw.routing.AgentId.normalize(agentId))) {
                throw GatewayError.invalid("session key " + key + " belongs to agent '" + key.agentId() + "', not '" + agentId + "'");
            }
            return key;
        }
        AgentConfig agent = agent(config, agentId);
        return SessionKey.scoped(requested, agent.id(), config.session().mainSessionKey(agent.id()));
    }

    static AgentConfig agent(JClawConfig config, String agentId) {
        if (agentId == null) {
            return config.defaultAgent().orElseThrow(() -> GatewayError.invalid("no agent given and none is the default: name one with agentId"
                    + " (configured: " + config.agents().stream().map(AgentConfig::id).toList() + ")"));
        }
        return config.agent(agentId).orElseThrow(() -> GatewayError.invalid("unknown agent '" + agentId + "' (configured: "
                + config.agents().stream().map(AgentConfig::id).toList() + ")", Json.map("code", "UNKNOWN_AGENT_ID")));
    }

    private Object list(Methods.Call call) {
        var engine = gateway.engine();
        JClawConfig config = engine.config();
        int limit = (int) Math.min(Optional.ofNullable(Params.integer(call.params, "limit")).orElse(200L), 10_000);
        SessionQuery query = SessionQuery.all();
        String agentId = Params.trimmed(call.params, "agentId");
        if (agentId != null) query = query.agent(agent(config, agentId).id());
        Long active = Params.integer(call.params, "activeMinutes");
        if (active != null) query = query.updatedSince(Instant.now().minus(Duration.ofMinutes(active)));
        String spawnedBy = Params.trimmed(call.params, "spawnedBy");
        if (spawnedBy != null) query = query.spawnedBy(SessionKey.parse(spawnedBy).toString());
        String label = Params.trimmed(call.params, "label");
        String search = Params.trimmed(call.params, "search");
        boolean filtered = label != null || search != null;
        List<SessionEntry> rows = engine.store().list(query.limit(filtered ? 10_000 : limit)).stream()
                .filter(e -> label == null || label.equals(e.label()))
                .filter(e -> search == null || e.key().toString().contains(search.toLowerCase())
                        || (e.label() != null && e.label().toLowerCase().contains(search.toLowerCase())))
                .limit(limit).toList();
        Set<String> running = engine.agents().active().stream().map(RunHandle::sessionKey).collect(Collectors.toSet());
        return Json.map("ts", System.currentTimeMillis(), "path", engine.stateDir().resolve("sessions.db").toString(), "count", rows.size(),
                "defaults", gateway.snapshots().sessionDefaults(config),
                "sessions", rows.stream().map(e -> row(e, running.contains(e.key().toString()))).toList());
    }

    static Map<String, Object> row(SessionEntry e, boolean running) {
        return Json.map("key", e.key().toString(), "kind", e.kind().toString(), "agentId", e.agentId(), "sessionId", e.sessionId(),
                "label", e.label(), "displayName", e.label() != null ? e.label() : e.key().toString(), "channel", e.channel(),
                "spawnedBy", e.spawnedBy(), "startedAt", e.startedAt().toEpochMilli(), "updatedAt", e.updatedAt().toEpochMilli(),
                "modelProvider", e.providerOverride(), "model", e.modelOverride(), "inputTokens", e.tokens().input(),
                "outputTokens", e.tokens().output(), "totalTokens", e.tokens().total(), "contextTokens", e.tokens().context(),
                "status", running ? "running" : "idle", "transcriptPath", e.transcript().toString());
    }

    private Object resolve(Methods.Call call) {
        var store = gateway.engine().store();
        JClawConfig config = gateway.engine().config();
        String agentId = Params.trimmed(call.params, "agentId");
        String key = Params.trimmed(call.params, "key");
        String sessionId = Params.trimmed(call.params, "sessionId");
        String label = Params.trimmed(call.params, "label");
        if (key == null && sessionId == null && label == null) {
            throw GatewayError.invalid("invalid sessions.resolve params: give one of key, sessionId, label");
        }
        Optional<SessionEntry> found;
        String what;
        if (key != null) {
            SessionKey k = key(config, agentId, key);
            found = store.get(k);
            what = "key " + k;
        } else if (sessionId != null) {
            found = store.findBySessionId(sessionId);
            what = "sessionId " + sessionId;
        } else {
            String owner = agent(config, agentId).id();
            found = store.findByLabel(owner, label);
            what = "label \"" + label + "\" of agent " + owner;
        }
        String spawnedBy = Params.trimmed(call.params, "spawnedBy");
        if (spawnedBy != null) found = found.filter(e -> spawnedBy.equalsIgnoreCase(e.spawnedBy()));
        if (found.isEmpty()) {
            if (Params.bool(call.params, "allowMissing", false)) return Json.map("ok", false);
            throw GatewayError.invalid("no session matches " + what);
        }
        SessionEntry e = found.get();
        return Json.map("ok", true, "key", e.key().toString(), "agentId", e.agentId(), "sessionId", e.sessionId(),
                "displayName", e.label() != null ? e.label() : e.key().toString());
    }

    private Object reset(Methods.Call call) throws InterruptedException {
        var engine = gateway.engine();
        SessionKey key = key(engine.config(), Params.trimmed(call.params, "agentId"), Params.string(call.params, "key"));
        Optional<SessionEntry> before = engine.store().get(key);
        String expected = Params.trimmed(call.params, "expectedSessionId");
        if (expected != null && before.map(e -> !e.sessionId().equals(expected)).orElse(true)) {
            throw GatewayError.invalid("session " + key + " is not at sessionId " + expected + " (now "
                    + before.map(SessionEntry::sessionId).orElse("absent") + ")");
        }
        if (before.isEmpty()) return Json.map("ok", true, "key", key.toString(), "entry", null, "reset", false);
        SessionEntry entry = engine.agents().resetSession(key);
        String reason = Optional.ofNullable(Params.trimmed(call.params, "reason")).orElse("reset");
        gateway.clients().broadcast("sessions.changed", Json.map("sessionKey", key.toString(), "agentId", key.agentId(), "reason", reason));
        return Json.map("ok", true, "key", key.toString(), "reset", true, "previousSessionId", before.get().sessionId(),
                "entry", row(entry, false));
    }

    private Object delete(Methods.Call call) throws InterruptedException {
        var engine = gateway.engine();
        SessionKey key = key(engine.config(), Params.trimmed(call.params, "agentId"), Params.string(call.params, "key"));
        String expected = Params.trimmed(call.params, "expectedSessionId");
        if (expected != null && engine.store().get(key).map(e -> !e.sessionId().equals(expected)).orElse(true)) {
            throw GatewayError.invalid("session " + key + " is not at sessionId " + expected);
        }
        boolean deleted = engine.agents().deleteSession(key, Params.bool(call.params, "deleteTranscript", false));
        if (deleted) {
            gateway.clients().broadcast("sessions.changed", Json.map("sessionKey", key.toString(), "agentId", key.agentId(), "reason", "delete"));
        }
        return Json.map("ok", true, "key", key.toString(), "deleted", deleted);
    }
}
