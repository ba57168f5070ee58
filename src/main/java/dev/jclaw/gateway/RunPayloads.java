package dev.jclaw.gateway;

import dev.jclaw.agent.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's outcome in OpenClaw's shape, for the {@code agent} method's final answer and {@code jclaw agent --json}. */
public final class RunPayloads {
    private RunPayloads() {}

    /**
     * The final answer: status ok / error / timeout (an abort is a timeout with summary "aborted", as
     * OpenClaw reports it, with {@code aborted: true}), the reply as {@code result.payloads[].text}, and
     * {@code result.meta} with the model, usage, timing and {@code finalAssistantVisibleText}.
     */
    public static Map<String, Object> finalAnswer(RunResult r) {
        String status = switch (r.status()) {
            case OK -> "ok";
            case ERROR -> "error";
            case TIMEOUT, ABORTED -> "timeout";
        };
        String summary = switch (r.status()) {
            case OK -> "completed";
            case ERROR -> "failed";
            case TIMEOUT, ABORTED -> "aborted";
        };
        boolean aborted = r.status() == RunResult.Status.ABORTED;
        String text = r.text() == null ? "" : r.text();
        List<Map<String, Object>> payloads = new ArrayList<>();
        if (!text.isEmpty()) payloads.add(Json.map("text", text, "mediaUrl", null));
        else if (r.error() != null) payloads.add(Json.map("text", r.error(), "mediaUrl", null, "isError", true));
        Map<String, Object> agentMeta = Json.map("agentId", r.agentId(), "sessionKey", r.sessionKey(), "provider", r.provider(),
                "model", r.model(), "usage", Json.map("input", r.inputTokens(), "output", r.outputTokens(),
                        "total", r.inputTokens() + r.outputTokens()), "turns", r.turns(), "toolCalls", r.toolCalls());
        Map<String, Object> meta = Json.map("durationMs", r.durationMillis(), "agentMeta", agentMeta,
                "finalAssistantVisibleText", text, "stopReason", r.stopReason(), "aborted", aborted,
                "warnings", r.warnings().isEmpty() ? null : r.warnings());
        Map<String, Object> payload = new LinkedHashMap<>(Json.map("runId", r.runId(), "status", status, "summary", summary));
        if (r.status() != RunResult.Status.OK) {
            payload.put("stopReason", aborted ? "aborted" : r.status() == RunResult.Status.TIMEOUT ? "timeout" : r.stopReason());
            if (aborted) payload.put("aborted", true);
            if (r.error() != null) payload.put("error", r.error());
        }
        payload.put("result", Json.map("payloads", payloads, "meta", meta));
        return payload;
    }
}
