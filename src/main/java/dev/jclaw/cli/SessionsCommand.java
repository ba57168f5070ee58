package dev.jclaw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.config.StateDir;
import dev.jclaw.routing.AgentId;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionQuery;
import dev.jclaw.session.SessionReader;
import dev.jclaw.session.SessionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jclaw sessions}: list stored sessions, newest first. Works while a gateway runs. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "List stored sessions, most recently active first.")
final class SessionsCommand implements Callable<Integer> {
    @Option(names = "--agent", paramLabel = "ID", description = "Only this agent's sessions.")
    String agent;

    @Option(names = "--active", paramLabel = "MINUTES", description = "Only sessions active in the last MINUTES.")
    Integer activeMinutes;

    @Option(names = "--limit", defaultValue = "1000", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "State dir (default: JCLAW_STATE_DIR, OPENCLAW_STATE_DIR, ~/.jclaw).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Path state = stateDir != null ? stateDir.toAbsolutePath().normalize() : StateDir.resolve();
        SessionQuery query = SessionQuery.all().limit(Math.max(1, limit));
        if (agent != null) query = query.agent(AgentId.normalize(agent));
        if (activeMinutes != null) query = query.updatedSince(Instant.now().minus(Duration.ofMinutes(activeMinutes)));
        List<SessionEntry> sessions;
        try (SessionReader reader = SessionStore.openReadOnly(state)) {
            sessions = reader.list(query);
        }
        if (json) printJson(state, sessions);
        else printTable(state, sessions);
        return 0;
    }

    private void printJson(Path state, List<SessionEntry> sessions) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("stateDir", state.toString());
        root.put("count", sessions.size());
        if (activeMinutes == null) root.putNull("activeMinutes");
        else root.put("activeMinutes", activeMinutes);
        ArrayNode list = root.putArray("sessions");
        for (SessionEntry s : sessions) {
            ObjectNode row = list.addObject();
            row.put("agentId", s.agentId());
            row.put("key", s.key().toString());
            row.put("sessionId", s.sessionId());
            row.put("kind", s.kind().toString());
            row.put("channel", s.channel());
            row.put("label", s.label());
            row.put("spawnedBy", s.spawnedBy());
            row.put("startedAt", s.startedAt().toEpochMilli());
            row.put("updatedAt", s.updatedAt().toEpochMilli());
            row.put("providerOverride", s.providerOverride());
            row.put("modelOverride", s.modelOverride());
            row.put("inputTokens", s.tokens().input());
            row.put("outputTokens", s.tokens().output());
            row.put("totalTokens", s.tokens().total());
            row.put("contextTokens", s.tokens().context());
            row.put("transcript", s.transcript().toString());
        }
        System.out.println(mapper.writeValueAsString(root));
    }

    private static void printTable(Path state, List<SessionEntry> sessions) {
        if (sessions.isEmpty()) {
            System.out.printf("No sessions in %s.%n", state);
            return;
        }
        System.out.printf("%d session%s in %s%n", sessions.size(), sessions.size() == 1 ? "" : "s", state);
        System.out.printf("%-48s %-9s %-10s %9s  %s%n", "KEY", "KIND", "ACTIVE", "TOKENS", "LABEL / MODEL");
        Instant now = Instant.now();
        for (SessionEntry s : sessions) {
            String extra = s.label() != null ? s.label() : s.modelOverride() != null ? s.providerOverride() + "/" + s.modelOverride() : "";
            System.out.printf("%-48s %-9s %-10s %9d  %s%n", abbreviate(s.key().toString()), s.kind(), age(now, s.updatedAt()),
                    s.tokens().total(), extra);
        }
    }

    private static String age(Instant now, Instant then) {
        Duration d = Duration.between(then, now);
        if (d.isNegative() || d.toMinutes() < 1) return "just now";
        if (d.toHours() < 1) return d.toMinutes() + "m ago";
        if (d.toDays() < 1) return d.toHours() + "h ago";
        return d.toDays() + "d ago";
    }

    private static String abbreviate(String key) {
        return key.length() <= 48 ? key : key.substring(0, 47) + "…";
    }
}
