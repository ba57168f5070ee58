package dev.jclaw.gateway;

import dev.jclaw.agent.AgentService;
import dev.jclaw.agent.RunEvent;
import dev.jclaw.agent.RunEventListener;
import dev.jclaw.agent.RunResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns run events into the protocol's events, broadcast to every client as OpenClaw does:
 * {@code agent} (each run event as it happens), {@code chat} (the reply as a chat message: deltas at
 * most every {@link #CHAT_DELTA_MILLIS}, then final, aborted or error) and {@code sessions.changed}
 * when a run has written to its session. Every run is tracked from its start, so {@code agent.wait}
 * can answer for runs the gateway did not start (agent-to-agent steps) too.
 */
final class EventBridge implements RunEventListener {
    /** OpenClaw throttles chat deltas to about this; each one carries the whole text so far. */
    static final long CHAT_DELTA_MILLIS = 150;

    private final AgentService agents;
    private final RunTracker tracker;
    private final Clients clients;
    private final Map<String, ChatState> chats = new ConcurrentHashMap<>();

    private static final class ChatState {
        final AtomicLong seq = new AtomicLong();
        volatile long lastDelta;
        volatile String text = "";
    }

    EventBridge(AgentService agents, RunTracker tracker, Clients clients) {
        this.agents = agents;
        this.tracker = tracker;
        this.clients = clients;
    }

    @Override
    public void onEvent(RunEvent event) {
        clients.broadcast("agent", Json.map("runId", event.runId(), "sessionKey", event.sessionKey(), "agentId", event.agentId(),
                "stream", event.stream(), "data", event.data(), "seq", event.seq(), "ts", event.ts()));
        if (RunEvent.LIFECYCLE.equals(event.stream()) && "start".equals(event.data().get("phase"))) {
            ChatState chat = new ChatState();
            chats.put(event.runId(), chat);
            agents.find(event.runId()).ifPresent(handle -> {
                tracker.track(handle);
                handle.result().whenComplete((result, failure) -> finished(event, chat, result));
            });
        } else if (RunEvent.ASSISTANT.equals(event.stream())) {
            ChatState chat = chats.get(event.runId());
            if (chat == null) return;
            Object text = event.data().get("text");
            chat.text = text == null ? chat.text : text.toString();
            long now = System.currentTimeMillis();
            if (now - chat.lastDelta < CHAT_DELTA_MILLIS) return;
            chat.lastDelta = now;
            clients.broadcast("chat", Json.map("runId", event.runId(), "sessionKey", event.sessionKey(), "agentId", event.agentId(),
                    "seq", chat.seq.incrementAndGet(), "state", "delta", "deltaText", event.data().get("delta"),
                    "message", message(chat.text, now)));
        }
    }

    private void finished(RunEvent start, ChatState chat, RunResult result) {
        chats.remove(start.runId());
        if (result == null) return;
        String state = switch (result.status()) {
            case OK -> "final";
            case ABORTED, TIMEOUT -> "aborted";
            case ERROR -> "error";
        };
        String text = result.text() == null || result.text().isEmpty() ? chat.text : result.text();
        clients.broadcast("chat", Json.map("runId", start.runId(), "sessionKey", start.sessionKey(), "agentId", start.agentId(),
                "seq", chat.seq.incrementAndGet(), "state", state, "stopReason", result.stopReason(),
                "errorMessage", result.error(), "message", message(text, System.currentTimeMillis())));
        clients.broadcast("sessions.changed", Json.map("sessionKey", start.sessionKey(), "agentId", start.agentId(), "reason", "run"));
    }

    private static Map<String, Object> message(String text, long timestamp) {
        return Json.map("role", "assistant", "content", List.of(Map.of("type", "text", "text", text)), "timestamp", timestamp);
    }
}
