package dev.jclaw.tools;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.SubagentConfig;
import dev.jclaw.routing.SessionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code sessions_spawn}: starts a sub-agent in a new session {@code agent:<target>:subagent:<uuid>}
 * and answers at once. Mode {@code run} is ephemeral: the session (and its session-scoped MCP
 * servers) ends with the run; {@code session} keeps it for later {@code sessions_send}s;
 * {@code cleanup: delete} removes the session when the run is over. The requester is told of the
 * completion in a turn of its own. Limits: {@code subagents.allowAgents}, {@code maxSpawnDepth},
 * {@code maxChildrenPerAgent}.
 */
final class SessionsSpawnTool implements Tool {
    /** One object for the tool's life: the provider layer keeps its mapping while the schema object lives. */
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "task", Map.of("type", "string"),
            "label", Map.of("type", "string"),
            "agentId", Map.of("type", "string", "description", "the agent to run (default: yourself)"),
            "mode", Map.of("type", "string", "enum", List.of("run", "session")),
            "cleanup", Map.of("type", "string", "enum", List.of("delete", "keep")),
            "runTimeoutSeconds", Map.of("type", "integer", "minimum", 1, "maximum", 86400)), "required", List.of("task"));

    private static final Logger log = LoggerFactory.getLogger(SessionsSpawnTool.class);
    /** A spawned run's bound when the call sets none. */
    private static final int DEFAULT_RUN_TIMEOUT_SECONDS = 600;

    @Override
    public String name() {
        return "sessions_spawn";
    }

    @Override
    public String description() {
        return "Start a sub-agent on a task in a new session; you are told when it finishes. Returns at once.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        String task = args.required("task");
        String label = args.string("label");
        String target = args.string("agentId") != null ? args.string("agentId") : context.agentId();
        boolean keep = args.oneOf("mode", "run", "run", "session").equals("session");
        boolean delete = args.oneOf("cleanup", "keep", "delete", "keep").equals("delete");
        int timeout = args.integer("runTimeoutSeconds", DEFAULT_RUN_TIMEOUT_SECONDS, 1, 86400);

        JClawConfig config = context.services().config();
        AgentConfig self = config.agent(context.agentId()).orElseThrow();
        SubagentConfig limits = self.subagents();
        if (config.agent(target).isEmpty()) return SessionTools.refused("no agent '" + target + "' is configured");
        if (!limits.allows(context.agentId(), target)) {
            return SessionTools.refused("agent '" + context.agentId() + "' may not spawn agent '" + target
                    + "': add it to agents.list[].subagents.allowAgents (or \"*\")");
        }
        int depth = context.sessionKey().subagentDepth() + 1;
        if (depth > limits.maxSpawnDepth()) {
            return SessionTools.refused("spawning here would nest sub-agents " + depth + " deep; subagents.maxSpawnDepth is "
                    + limits.maxSpawnDepth());
        }
        SessionKey child = SessionKey.subagent(target, UUID.randomUUID());
        TurnHandle run = context.services().startChildTurn(new TurnRequest(target, child, task, TurnRequest.Kind.SUBAGENT,
                "You are a sub-agent spawned by session " + context.sessionKey() + " for the task below. Do it and answer with the result.",
                Duration.ofSeconds(timeout), !keep, context.sessionKey(), label, Map.of("kind", "subagent", "spawnedBy", context.sessionKey().toString())),
                limits.maxChildrenPerAgent());
        if (run == null) {
            return SessionTools.refused(context.services().activeChildren(context.sessionKey())
                    + " sub-agents of this session are still running; subagents.maxChildrenPerAgent is " + limits.maxChildrenPerAgent());
        }
        run.outcome().thenAccept(outcome -> finished(context, child, label, outcome, delete));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "accepted");
        out.put("runId", run.runId());
        out.put("childSessionKey", child.toString());
        return SessionTools.json(out, false);
    }

    /** Cleans up as asked, then tells the requester in a turn of its own. Runs on the child run's thread, briefly. */
    private static void finished(ToolContext context, SessionKey child, String label, TurnHandle.TurnOutcome outcome, boolean delete) {
        Thread.ofVirtual().name("spawn-done-" + child).start(() -> {
            try {
                if (delete) context.services().deleteSession(child);
                String name = label != null ? "\"" + label + "\" (" + child + ")" : child.toString();
                String result = outcome.ok() ? outcome.text() : "it ended with status " + outcome.status()
                        + (outcome.error() == null ? "" : ": " + outcome.error());
                context.services().startTurn(new TurnRequest(context.agentId(), context.sessionKey(),
                        "[sub-agent " + name + " finished] " + result, TurnRequest.Kind.NESTED,
                        "A sub-agent you spawned has finished; its result is in this message. Answer exactly "
                                + AgentToAgent.ANNOUNCE_SKIP + " if nothing needs saying.",
                        AgentToAgent.STEP_WAIT.plusSeconds(30), false, null, null,
                        Map.of("kind", "subagent_announce", "childSessionKey", child.toString())));
            } catch (IllegalStateException e) {
                log.debug("sub-agent {} finished during shutdown: {}", child, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("announcing the end of sub-agent {} failed", child, e);
            }
        });
    }
}
