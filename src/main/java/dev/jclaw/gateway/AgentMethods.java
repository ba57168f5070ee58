package dev.jclaw.gateway;

import dev.jclaw.agent.RunHandle;
import dev.jclaw.agent.RunRequest;
import dev.jclaw.agent.RunResult;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.gateway.Params.Kind;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.History;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.TranscriptEntry;
import dev.jclaw.session.TranscriptMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Running agents: {@code agent} (answered twice on one id: accepted, then the final result),
 * {@code agent.wait}, {@code chat.send}, {@code chat.abort} and {@code chat.history}. Side effects
 * are deduplicated by {@code idempotencyKey}: a retried request joins the run the first one started
 * (a key reused for a different request is refused).
 */
final class AgentMethods {
    /** OpenClaw's {@code timeout: 0} means no limit; JClaw bounds every wait, so "none" is a day. */
    static final Duration UNBOUNDED = Duration.ofHours(24);
    /** chat.history answers at most this many characters of messages, dropping the oldest first. */
    static final int HISTORY_MAX_CHARS = 4 * 1024 * 1024;

    private final Gateway gateway;

    AgentMethods(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(Methods methods) {
        methods.add("agent", Peer.WRITE, Params.of("agent").required("message", Kind.NON_EMPTY_STRING)
                .required("idempotencyKey", Kind.NON_EMPTY_STRING).optional("agentId", Kind.NON_EMPTY_STRING)
                .optional("sessionKey", Kind.STRING).optional("sessionId", Kind.STRING).optional("model", Kind.STRING)
                .optional("provider", Kind.STRING).optional("timeout", Kind.INTEGER_MIN0).optional("lane", Kind.STRING)
                .optional("extraSystemPrompt", Kind.STRING)
                .accepts("to", "replyTo", "expectedExistingSessionId", "thinking", "deliver", "attachments", "channel", "replyChannel",
                        "accountId", "replyAccountId", "threadId", "groupId", "groupChannel", "groupSpace", "bestEffortDeliver", "cwd",
                        "cleanupBundleMcpOnRunEnd", "modelRun", "promptMode", "bootstrapContextMode", "bootstrapContextRunKind",
                        "acpTurnSource", "internalRuntimeHandoffId", "internalExecutionIdentityRetry",
                        "internalExecutionIdentityRecoveryAttempt", "execApprovalFollowupExpectedSessionId", "internalEvents",
                        "inputProvenance", "suppressPromptPersistence", "sessionEffects", "sourceReplyDeliveryMode", "disableMessageTool",
                        "swarmCollector", "swarmOutputSchema", "forceRestartSafeTools", "forceCodeModeTools", "voiceWakeTrigger", "label"),
                this::agent);
        methods.add("agent.wait", Peer.WRITE, Params.of("agent.wait").required("runId", Kind.NON_EMPTY_STRING)
                .optional("timeoutMs", Kind.INTEGER_MIN0), this::agentWait);
        methods.add("chat.send", Peer.WRITE, Params.of("chat.send").required("sessionKey", Kind.NON_EMPTY_STRING)
                .required("message", Kind.STRING).required("idempotencyKey", Kind.NON_EMPTY_STRING)
                .optional("agentId", Kind.NON_EMPTY_STRING).optional("timeoutMs", Kind.INTEGER_MIN0)
                .accepts("sessionId", "mentions", "workContext", "intent", "thinking", "fastMode", "fastAutoOnSeconds", "queueMode",
                        "deliver", "originatingChannel", "originatingTo", "originatingAccountId", "originatingThreadId", "replyToId",
                        "attachments", "toolBindings", "systemInputProvenance", "systemProvenanceReceipt",
                        "suppressCommandInterpretation", "expectedLeafEntryId", "expectedSessionRoutingContract",
                        "expectedPermissionMode", "expectedToolOverrides"),
                this::chatSend);
        methods.add("chat.abort", Peer.WRITE, Params.of("chat.abort").required("sessionKey", Kind.NON_EMPTY_STRING)
                .optional("agentId", Kind.NON_EMPTY_STRING).optional("runId", Kind.NON_EMPTY_STRING)
                .accepts("preserveSideRuns"), this::chatAbort);
        methods.add("chat.history", Peer.READ, Params.of("chat.history").required("sessionKey", Kind.NON_EMPTY_STRING)
                .optional("agentId", Kind.NON_EMPTY_STRING).optional("limit", Kind.INTEGER_MIN1).optional("maxChars", Kind.INTEGER_MIN1)
                .optional("sessionId", Kind.NON_EMPTY_STRING)
                .accepts("cursor", "maxBytes", "offset", "pendingBefore", "inputRunIds", "messageId"), this::chatHistory);
    }

    // ---- agent ----

    private Object agent(Methods.Call call) {
        JClawConfig config = gateway.engine().config();
        String agentId = Params.trimmed(call.params, "agentId");
        String sessionKey = Params.trimmed(call.params, "sessionKey");
        String sessionId = Params.trimmed(call.params, "sessionId");
        if (sessionKey == null && sessionId != null) {
            sessionKey = gateway.engine().store().findBySessionId(sessionId).map(e -> e.key().toString())
                    .orElseThrow(() -> GatewayError.invalid("agent: no session has sessionId " + sessionId));
        }
        String message = Params.string(call.params, "message");
        Long timeout = Params.integer(call.params, "timeout");
        String model = Params.trimmed(call.params, "model");
        String provider = Params.trimmed(call.params, "provider");
        if (model != null && provider != null && !model.contains("/")) model = provider + "/" + model;
        RunRequest request = RunRequest.of(agentId, message).withSessionKey(sessionKey)
                .withTimeout(timeout == null ? null : timeout == 0 ? UNBOUNDED : Duration.ofSeconds(timeout))
                .withLane(Params.trimmed(call.params, "lane")).withExtraSystemPrompt(Params.string(call.params, "extraSystemPrompt"))
                .withModel(model);
        String fingerprint = String.join("\u0000", String.valueOf(agentId), String.valueOf(sessionKey), message);
        RunTracker.ClaimResult claim = claim("agent:" + Params.string(call.params, "idempotencyKey"), fingerprint, request);
        RunTracker.Tracked run = claim.claim().run();
        RunResult done = run.result().getNow(null);
        if (!claim.created() && done != null) {
            call.ok(finalPayload(run, done)); // a retry of a finished run: its final answer, once
            return Methods.ANSWERED;
        }
        call.ok(Json.map("runId", run.runId(), "sessionKey", run.handle().sessionKey(), "agentId", run.handle().agentId(),
                "status", "accepted", "acceptedAt", run.startedAt()));
        run.result().whenComplete((result, failure) -> {
            try {
                if (result != null) {
                    call.ok(finalPayload(run, result));
                } else {
                    call.fail(new GatewayError(GatewayError.UNAVAILABLE, "agent run " + run.runId() + " failed: " + failure, null, false),
                            Json.map("runId", run.runId(), "status", "error", "summary", String.valueOf(failure)));
                }
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(AgentMethods.class).error("the final answer of run {} could not be sent", run.runId(), e);
            }
        });
        return Methods.ANSWERED;
    }

    private RunTracker.ClaimResult claim(String key, String fingerprint, RunRequest request) {
        RunTracker.ClaimResult claim;
        try {
            claim = gateway.runs().claim(key, fingerprint, () -> gateway.engine().agents().start(request));
        } catch (IllegalStateException e) {
            throw new GatewayError(GatewayError.UNAVAILABLE, e.getMessage(), null, true);
        }
        if (!claim.claim().fingerprint().equals(fingerprint)) {
            throw GatewayError.invalid("idempotencyKey " + key.substring(key.indexOf(':') + 1) + " was already used for a different request"
                    + " (run " + claim.claim().run().runId() + "); use a new key for a new request");
        }
        return claim;
    }

    static Map<String, Object> finalPayload(RunTracker.Tracked run, RunResult r) {
        return RunPayloads.finalAnswer(r);
    }

    // ---- agent.wait ----

    private Object agentWait(Methods.Call call) throws InterruptedException {
        String runId = Params.string(call.params, "runId");
        long timeoutMs = Math.min(Optional.ofNullable(Params.integer(call.params, "timeoutMs")).orElse(30_000L), UNBOUNDED.toMillis());
        RunTracker.Tracked run = gateway.runs().find(runId)
                .or(() -> gateway.engine().agents().find(runId).map(gateway.runs()::track))
                .orElseThrow(() -> GatewayError.invalid("agent run " + runId + " was not found (the gateway keeps ended runs "
                        + RunTracker.KEEP.toMinutes() + " minutes)"));
        RunResult r;
        try {
            r = run.result().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Json.map("runId", runId, "status", "timeout", "startedAt", run.startedAt(), "pending", true);
        } catch (ExecutionException e) {
            return Json.map("runId", runId, "status", "error", "startedAt", run.startedAt(), "error", String.valueOf(e.getCause()));
        }
        Map<String, Object> payload = finalPayload(run, r);
        return Json.map("runId", runId, "status", payload.get("status"), "startedAt", run.startedAt(),
                "endedAt", run.startedAt() + r.durationMillis(), "error", r.error(), "stopReason", r.stopReason(),
                "aborted", r.status() == RunResult.Status.ABORTED ? true : null, "text", r.text());
    }

    // ---- chat ----

    private Object chatSend(Methods.Call call) {
        JClawConfig config = gateway.engine().config();
        String agentId = Params.trimmed(call.params, "agentId");
        SessionKey key = SessionMethods.key(config, agentId, Params.string(call.params, "sessionKey"));
        String message = Params.string(call.params, "message");
        if (message.isBlank()) throw GatewayError.invalid("invalid chat.send params: at /message: must not be blank");
        Long timeoutMs = Params.integer(call.params, "timeoutMs");
        RunRequest request = RunRequest.of(key.agentId() == null ? agentId : key.agentId(), message).withSessionKey(key.toString())
                .withTimeout(timeoutMs == null ? null : timeoutMs == 0 ? UNBOUNDED : Duration.ofMillis(timeoutMs));
        String fingerprint = key + "\u0000" + message;
        RunTracker.ClaimResult claim = claim("chat:" + Params.string(call.params, "idempotencyKey"), fingerprint, request);
        RunTracker.Tracked run = claim.claim().run();
        if (claim.created()) return Json.map("runId", run.runId(), "status", "started");
        return Json.map("runId", run.runId(), "status", run.result().isDone() ? "ok" : "in_flight", "cached", true);
    }

    private Object chatAbort(Methods.Call call) {
        var engine = gateway.engine();
        SessionKey key = SessionMethods.key(engine.config(), Params.trimmed(call.params, "agentId"), Params.string(call.params, "sessionKey"));
        String runId = Params.trimmed(call.params, "runId");
        List<String> aborted = new ArrayList<>();
        if (runId != null) {
            Optional<RunHandle> run = engine.agents().find(runId);
            if (run.isPresent()) {
                if (!run.get().sessionKey().equals(key.toString())) throw GatewayError.invalid("runId does not match sessionKey");
                if (run.get().abort("aborted by the client (chat.abort)")) aborted.add(runId);
            }
        } else {
            for (RunHandle run : engine.agents().active()) {
                if (run.sessionKey().equals(key.toString()) && run.abort("aborted by the client (chat.abort)")) aborted.add(run.runId());
            }
        }
        return Json.map("ok", true, "aborted", !aborted.isEmpty(), "runIds", aborted);
    }

    private Object chatHistory(Methods.Call call) {
        var engine = gateway.engine();
        SessionKey key = SessionMethods.key(engine.config(), Params.trimmed(call.params, "agentId"), Params.string(call.params, "sessionKey"));
        int limit = (int) Math.min(Optional.ofNullable(Params.integer(call.params, "limit")).orElse(200L), 1_000);
        long maxChars = Math.min(Optional.ofNullable(Params.integer(call.params, "maxChars")).orElse((long) HISTORY_MAX_CHARS), HISTORY_MAX_CHARS);
        Optional<SessionEntry> entry = engine.store().get(key);
        String wantedSession = Params.trimmed(call.params, "sessionId");
        if (wantedSession != null && entry.map(e -> !e.sessionId().equals(wantedSession)).orElse(true)) {
            throw GatewayError.invalid("session " + key + " is not at sessionId " + wantedSession);
        }
        if (entry.isEmpty()) return Json.map("sessionKey", key.toString(), "sessionId", null, "messages", List.of());
        History history = engine.store().history(key, limit);
        List<Object> messages = new ArrayList<>();
        long size = 0;
        boolean truncated = false;
        List<TranscriptEntry> entries = history.entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Object message = message(entries.get(i));
            String json = Json.write(message);
            if (size + json.length() > maxChars) {
                truncated = true;
                break;
            }
            size += json.length();
            messages.addFirst(message);
        }
        return Json.map("sessionKey", key.toString(), "sessionId", entry.get().sessionId(), "messages", messages,
                "truncated", truncated ? true : null, "warnings", history.warnings().isEmpty() ? null : history.warnings());
    }

    /** A transcript entry as OpenClaw's chat messages look: role, content blocks, timestamp. */
    static Object message(TranscriptEntry entry) {
        long ts = entry.timestamp().toEpochMilli();
        return switch (entry.message()) {
            case TranscriptMessage.User u -> Json.map("role", "user", "content", content(u.content()), "timestamp", ts, "id", entry.id());
            case TranscriptMessage.Assistant a -> Json.map("role", "assistant", "content", content(a.content()), "provider", a.provider(),
                    "model", a.model(), "stopReason", a.stopReason(), "usage", a.usage() == null ? null : Json.map("input", a.usage().input(),
                            "output", a.usage().output(), "totalTokens", a.usage().totalTokens()), "timestamp", ts, "id", entry.id());
            case TranscriptMessage.ToolResult t -> Json.map("role", "toolResult", "toolCallId", t.toolCallId(), "toolName", t.toolName(),
                    "content", content(t.content()), "isError", t.isError(), "timestamp", ts, "id", entry.id());
            case TranscriptMessage.Unknown u -> parsed(u.json());
        };
    }

    private static List<Object> content(List<TranscriptMessage.Content> blocks) {
        List<Object> out = new ArrayList<>();
        for (TranscriptMessage.Content block : blocks) {
            out.add(switch (block) {
                case TranscriptMessage.Content.Text t -> Json.map("type", "text", "text", t.text());
                case TranscriptMessage.Content.ToolCall c -> Json.map("type", "toolCall", "id", c.id(), "name", c.name(), "arguments", c.arguments());
                case TranscriptMessage.Content.Unknown u -> parsed(u.json());
            });
        }
        return out;
    }

    private static Object parsed(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return Json.map("raw", json);
        }
    }
}
