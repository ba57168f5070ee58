package dev.jclaw.tools;

import dev.jclaw.routing.SessionKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sessions_send}: runs a turn on another session (lane {@code nested:<target>}, the sender
 * named in an extra system prompt, provenance {@code inter_session}); with {@code timeoutSeconds} 0
 * it answers "accepted" at once, else it waits for the reply. Afterwards, in the background, the
 * agent-to-agent exchange continues ({@link AgentToAgent}).
 */
final class SessionsSendTool implements Tool {
    /** One object for the tool's life: the provider layer keeps its mapping while the schema object lives. */
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "sessionKey", Map.of("type", "string"),
            "label", Map.of("type", "string"),
            "agentId", Map.of("type", "string"),
            "message", Map.of("type", "string"),
            "timeoutSeconds", Map.of("type", "integer", "minimum", 0, "maximum", 3600)), "required", List.of("message"));

    /** OpenClaw's default wait for the reply. */
    static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @Override
    public String name() {
        return "sessions_send";
    }

    @Override
    public String description() {
        return "Send a message to another session (by sessionKey, or label with agentId) and get its reply. "
                + "timeoutSeconds 0 sends without waiting.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) throws InterruptedException {
        Args args = new Args(name(), arguments);
        String message = args.required("message");
        int timeoutSeconds = args.integer("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS, 0, 3600);
        SessionKey target = SessionTools.target(context, args);
        if (target.equals(context.sessionKey())) {
            return SessionTools.refused("a session cannot send to itself (" + target + "): its own run holds its lane");
        }
        String refusal = SessionAccess.refusal(context.services(), context.sessionKey(), context.agentId(), target);
        if (refusal != null) return SessionTools.refused(refusal);

        TurnHandle turn = context.services().startTurn(AgentToAgent.step(context.sessionKey(), context.agentId(), target, message,
                "This message comes from agent '" + context.agentId() + "' (session " + context.sessionKey()
                        + ") through sessions_send. Reply to it; your reply goes back to that session."));
        AgentToAgent.continueInBackground(context.services(), context.sessionKey(), context.agentId(), target, turn);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", turn.runId());
        out.put("sessionKey", target.toString());
        if (timeoutSeconds == 0) {
            out.put("status", "accepted");
            return SessionTools.json(out, false);
        }
        try {
            TurnHandle.TurnOutcome outcome = turn.outcome().get(timeoutSeconds, TimeUnit.SECONDS);
            if (outcome.ok()) {
                out.put("status", "ok");
                out.put("reply", outcome.text());
                return SessionTools.json(out, false);
            }
            out.put("status", "error");
            out.put("error", outcome.error() != null ? outcome.error() : "the target run ended with status " + outcome.status());
            return SessionTools.json(out, true);
        } catch (TimeoutException e) {
            out.put("status", "timeout");
            out.put("error", "no reply within " + timeoutSeconds + " s; the target turn goes on");
            return SessionTools.json(out, true);
        } catch (ExecutionException e) {
            out.put("status", "error");
            out.put("error", String.valueOf(e.getCause()));
            return SessionTools.json(out, true);
        }
    }
}
