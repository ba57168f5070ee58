package dev.jclaw.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.routing.AgentId;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code jclaw import-openclaw}: copies an OpenClaw state dir's sessions ({@code agents/<id>/sessions/
 * sessions.json} and the JSONL transcripts it names) into a JClaw store. The source is only read. Rows
 * already in the store are left alone, so the import can be run again. Fields JClaw does not model
 * are kept with the row ({@code extra}), so nothing of an entry is lost.
 */
public final class OpenClawImport {
    private static final Set<String> MODELLED = Set.of("sessionId", "updatedAt", "sessionStartedAt", "startedAt", "spawnedBy",
            "label", "chatType", "channel", "providerOverride", "modelOverride", "inputTokens", "outputTokens", "totalTokens",
            "contextTokens", "sessionFile");

    private OpenClawImport() {}

    /**
     * What an import did.
     *
     * @param imported           rows added to the store
     * @param alreadyPresent     rows skipped because their key was already in the store
     * @param transcriptsCopied  transcript files copied (none when importing a state dir in place)
     * @param warnings           entries skipped or imported with a loss, one line each
     */
    public record Report(int agents, int imported, int alreadyPresent, int transcriptsCopied, List<String> warnings) {
        public Report {
            warnings = List.copyOf(warnings);
        }
    }

    /** Imports every agent of {@code openclawStateDir} into {@code store}. */
    public static Report run(Path openclawStateDir, SessionStore store) {
        Path agentsDir = openclawStateDir.resolve("agents");
        if (!Files.isDirectory(agentsDir)) {
            throw new IllegalArgumentException(openclawStateDir + " has no agents/ folder: not an OpenClaw state dir");
        }
        Counter counter = new Counter();
        List<Path> agentDirs;
        try (Stream<Path> list = Files.list(agentsDir)) {
            agentDirs = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + agentsDir, e);
        }
        for (Path agentDir : agentDirs) importAgent(agentDir, store, counter);
        return new Report(agentDirs.size(), counter.imported, counter.present, counter.copied, counter.warnings);
    }

    private static final class Counter {
        int imported;
        int present;
        int copied;
        final List<String> warnings = new ArrayList<>();
    }

    private static void importAgent(Path agentDir, SessionStore store, Counter counter) {
        String agentId = AgentId.normalize(agentDir.getFileName().toString());
        Path sessionsDir = agentDir.resolve("sessions");
        Path index = sessionsDir.resolve("sessions.json");
        if (Files.exists(agentDir.resolve("agent").resolve("openclaw-agent.sqlite")) && !Files.exists(index)) {
            counter.warnings.add(agentId + ": sessions are in OpenClaw 2026.9's SQLite store, which JClaw does not import; "
                    + "export them with an OpenClaw 2026.4 layout first");
            return;
        }
        if (!Files.exists(index)) return;
        JsonNode entries;
        try {
            entries = TranscriptCodec.JSON.readTree(index.toFile());
        } catch (IOException e) {
            counter.warnings.add(index + ": unreadable (" + e.getMessage() + "), agent " + agentId + " skipped");
            return;
        }
        if (entries == null || !entries.isObject()) {
            counter.warnings.add(index + ": not a JSON object, agent " + agentId + " skipped");
            return;
        }
        SessionKey main = SessionKey.main(agentId, SessionKey.DEFAULT_MAIN_KEY);
        for (Map.Entry<String, JsonNode> field : entries.properties()) {
            String where = agentId + " " + field.getKey();
            try {
                SessionKey key = SessionKey.scoped(field.getKey(), agentId, main);
                String owner = key.agentId() != null ? key.agentId() : agentId;
                importEntry(key, owner, field.getValue(), sessionsDir, store, counter, where);
            } catch (IllegalArgumentException e) {
                counter.warnings.add(where + ": " + e.getMessage() + "; skipped");
            }
        }
    }

    private static void importEntry(SessionKey key, String agentId, JsonNode e, Path sessionsDir, SessionStore store,
                                    Counter counter, String where) {
        if (store.get(key).isPresent()) {
            counter.present++;
            return;
        }
        String sessionId = text(e, "sessionId");
        if (sessionId == null || sessionId.isBlank() || !e.isObject()) {
            counter.warnings.add(where + ": no sessionId; skipped");
            return;
        }
        if (store.findBySessionId(sessionId).isPresent()) {
            counter.warnings.add(where + ": sessionId " + sessionId + " already belongs to another session; skipped");
            return;
        }
        Path source = e.hasNonNull("sessionFile") ? sessionsDir.resolve(e.get("sessionFile").asText()) : sessionsDir.resolve(sessionId + ".jsonl");
        Path target = SessionStore.transcriptPath(store.stateDir(), agentId, sessionId);
        if (Files.exists(source)) {
            if (copy(source, target, counter, where)) counter.copied++;
            checkVersion(target, counter, where);
        } else {
            counter.warnings.add(where + ": transcript " + source + " is missing; imported with an empty history");
        }
        Instant updatedAt = millis(e, "updatedAt", Instant.ofEpochMilli(System.currentTimeMillis()));
        Instant startedAt = millis(e, "sessionStartedAt", millis(e, "startedAt", updatedAt));
        String label = text(e, "label");
        boolean labelDropped = label != null && store.findByLabel(agentId, label).isPresent();
        if (labelDropped) {
            counter.warnings.add(where + ": label \"" + label + "\" is already used by another session of " + agentId
                    + "; imported without it (kept in the row's OpenClaw fields)");
            label = null;
        }
        SessionEntry entry = new SessionEntry(key, agentId, sessionId, kind(e, key), channel(e, key), label, text(e, "spawnedBy"),
                startedAt, updatedAt, text(e, "providerOverride"), text(e, "modelOverride"),
                new SessionEntry.TokenCounts(e.path("inputTokens").asLong(), e.path("outputTokens").asLong(),
                        e.path("totalTokens").asLong(), e.path("contextTokens").asLong()), target);
        store.insertImported(entry, extra(e, labelDropped));
        counter.imported++;
    }

    /** Copies unless source and target are the same file (an in-place import); returns whether it copied. */
    private static boolean copy(Path source, Path target, Counter counter, String where) {
        try {
            if (Files.exists(target) && Files.isSameFile(source, target)) return false;
            if (Files.exists(target)) {
                counter.warnings.add(where + ": " + target + " already exists; kept, not overwritten");
                return false;
            }
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(target.getFileName() + ".importing");
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            TranscriptFile.syncDirectory(target.getParent());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy transcript " + source + " to " + target, e);
        }
    }

    private static void checkVersion(Path transcript, Counter counter, String where) {
        try (BufferedReader reader = Files.newBufferedReader(transcript, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            int version = first == null ? 0 : TranscriptCodec.JSON.readTree(first).path("version").asInt(1);
            if (version < TranscriptCodec.VERSION) {
                counter.warnings.add(where + ": transcript is format v" + version + "; entries without ids are not shown in history");
            }
        } catch (IOException e) {
            counter.warnings.add(where + ": transcript header unreadable (" + e.getMessage() + ")");
        }
    }

    /** The main session stays {@code main}; otherwise OpenClaw's {@code chatType}, else the key's shape. */
    private static SessionKind kind(JsonNode e, SessionKey key) {
        if (key.kind(SessionKey.DEFAULT_MAIN_KEY) == SessionKind.MAIN) return SessionKind.MAIN;
        return switch (e.path("chatType").asText("")) {
            case "direct", "dm" -> SessionKind.DIRECT;
            case "group" -> SessionKind.GROUP;
            case "room", "channel" -> SessionKind.CHANNEL;
            default -> key.kind(SessionKey.DEFAULT_MAIN_KEY);
        };
    }

    private static String channel(JsonNode e, SessionKey key) {
        String channel = text(e, "channel");
        if (channel == null) channel = text(e, "lastChannel");
        return channel != null ? channel : key.channel();
    }

    /** The entry's fields JClaw does not model (and a label it could not keep), as JSON; null when none. */
    private static String extra(JsonNode e, boolean keepLabel) {
        ObjectNode rest = ((ObjectNode) e).deepCopy();
        JsonNode label = rest.get("label");
        rest.remove(MODELLED);
        if (keepLabel) rest.set("label", label);
        return rest.isEmpty() ? null : rest.toString();
    }

    private static Instant millis(JsonNode e, String field, Instant fallback) {
        JsonNode value = e.get(field);
        return value != null && value.isNumber() && value.asLong() > 0 ? Instant.ofEpochMilli(value.asLong()) : fallback;
    }

    private static String text(JsonNode e, String field) {
        JsonNode value = e.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
