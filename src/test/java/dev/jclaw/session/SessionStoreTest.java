package dev.jclaw.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;
import dev.jclaw.session.TranscriptMessage.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store against real SQLite files and real transcript files. */
class SessionStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SessionKey MAIN = SessionKey.main("ops", "main");

    @TempDir
    Path state;

    private StateLock lock;
    private SessionStore store;

    /** Each reading is a millisecond after the last, so "most recent" never depends on the machine's speed. */
    private final Clock clock = new Clock() {
        private final AtomicLong millis = new AtomicLong(1_767_225_600_000L);

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    @BeforeEach
    void open() {
        lock = StateLock.acquire(state, "test");
        store = SessionStore.open(lock, clock);
    }

    @AfterEach
    void close() {
        store.close();
        lock.close();
    }

    private void reopen() {
        close();
        open();
    }

    private SessionEntry create(SessionKey key) {
        return store.getOrCreate(key, NewSession.of(key, "main", "/work/ops"));
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("unreadable line: " + line, e);
            }
        }).toList();
    }

    @Test
    void newSessionGetsAUuidAndAV3TranscriptWithHeaderInOpenClawsLayout() throws IOException {
        SessionEntry entry = create(MAIN);

        assertThat(UUID.fromString(entry.sessionId())).isNotNull();
        assertThat(entry.transcript()).isEqualTo(state.resolve("agents/ops/sessions/" + entry.sessionId() + ".jsonl"));
        assertThat(entry.kind()).isEqualTo(SessionKind.MAIN);
        assertThat(entry.agentId()).isEqualTo("ops");
        JsonNode header = lines(entry.transcript()).getFirst();
        assertThat(header.path("type").asText()).isEqualTo("session");
        assertThat(header.path("version").asInt()).isEqualTo(3);
        assertThat(header.path("id").asText()).isEqualTo(entry.sessionId());
        assertThat(header.path("cwd").asText()).isEqualTo("/work/ops");
        assertThat(Instant.parse(header.path("timestamp").asText())).isEqualTo(entry.startedAt());
        assertThat(create(MAIN)).as("the second call finds the first session").isEqualTo(entry);
    }

    @Test
    void appendedUserAssistantToolCallAndToolResultReadBackInOrderWithAParentChain() throws IOException {
        SessionEntry entry = create(MAIN);
        TranscriptMessage user = TranscriptMessage.User.text("list the files");
        TranscriptMessage assistant = new TranscriptMessage.Assistant(List.of(new Content.Text("Looking."),
                new Content.ToolCall("call_1", "fs__list", Map.of("path", "/tmp", "depth", 2))),
                "anthropic", "claude-sonnet-4-6", new TranscriptMessage.Usage(120, 30, 0, 0, 150), "toolUse");
        TranscriptMessage result = new TranscriptMessage.ToolResult("call_1", "fs__list", List.of(new Content.Text("a.txt")), false);

        TranscriptEntry first = store.append(MAIN, user);
        TranscriptEntry second = store.append(MAIN, assistant);
        TranscriptEntry third = store.append(MAIN, result);

        History history = store.history(MAIN, 10);
        assertThat(history.warnings()).isEmpty();
        assertThat(history.entries()).containsExactly(first, second, third);
        assertThat(first.parentId()).isNull();
        assertThat(second.parentId()).isEqualTo(first.id());
        assertThat(third.parentId()).isEqualTo(second.id());
        assertThat(first.id()).matches("[0-9a-f]{8}");

        List<JsonNode> lines = lines(entry.transcript());
        assertThat(lines).hasSize(4);
        JsonNode line = lines.get(2);
        assertThat(line.path("type").asText()).isEqualTo("message");
        assertThat(line.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(line.path("message").path("content").get(1).path("type").asText()).isEqualTo("toolCall");
        assertThat(line.path("message").path("content").get(1).path("arguments").path("depth").asInt()).isEqualTo(2);
        assertThat(line.path("message").path("usage").path("totalTokens").asInt()).isEqualTo(150);
        assertThat(lines.get(1).path("message").path("content").asText()).as("plain text user content is a string").isEqualTo("list the files");
        assertThat(lines.get(3).path("message").path("isError").asBoolean(true)).isFalse();
        assertThat(store.get(MAIN).orElseThrow().updatedAt()).isEqualTo(third.timestamp());
    }

    @Test
    void historyLimitKeepsTheLatestMessages() {
        create(MAIN);
        for (int i = 0; i < 10; i++) store.append(MAIN, TranscriptMessage.User.text("m" + i));

        List<TranscriptEntry> last3 = store.history(MAIN, 3).entries();

        assertThat(last3).extracting(e -> ((Content.Text) ((TranscriptMessage.User) e.message()).content().getFirst()).text())
                .containsExactly("m7", "m8", "m9");
        assertThat(store.history(SessionKey.main("nobody", "main"), 3).entries()).isEmpty();
    }

    @Test
    void historyFollowsTheBranchBackBeyondTheTailItReadsFirst() throws IOException {
        SessionEntry entry = create(MAIN);
        TranscriptEntry root = store.append(MAIN, TranscriptMessage.User.text("root"));
        for (int i = 0; i < 300; i++) store.append(MAIN, TranscriptMessage.User.text("abandoned " + i + " " + "x".repeat(1_000)));
        String branch = "{\"type\":\"message\",\"id\":\"0000beef\",\"parentId\":\"" + root.id()
                + "\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"message\":{\"role\":\"user\",\"content\":\"retry from the root\"}}\n";
        Files.writeString(entry.transcript(), branch, StandardOpenOption.APPEND);
        assertThat(Files.size(entry.transcript())).isGreaterThan(4 * 64 * 1024);

        List<TranscriptEntry> history = store.history(MAIN, 10).entries();

        assertThat(history).extracting(TranscriptEntry::id).containsExactly(root.id(), "0000beef");
        assertThat(store.history(MAIN, 1_000).entries()).hasSize(2);
    }

    @Test
    void historyReadAgainAfterAppendsSeesEveryNewEntryWhetherTheStoreOrAnotherWriterAppended() throws IOException {
        SessionEntry entry = create(MAIN);
        List<String> expected = new java.util.ArrayList<>();
        for (int round = 0; round < 3_000; round++) {
            // ~1 MB in all: the store's kept tail (512 KiB) is outgrown, dropped and started again on the way.
            TranscriptEntry appended = store.append(MAIN, TranscriptMessage.User.text("m" + round + " " + "x".repeat(200)));
            expected.add(appended.id());
            if (round % 7 == 0) {
                assertThat(store.history(MAIN, 50).entries()).extracting(TranscriptEntry::id)
                        .containsExactlyElementsOf(expected.subList(Math.max(0, expected.size() - 50), expected.size()));
            }
        }
        // Written behind the store's back (OpenClaw tooling, a restore): the next read still sees it.
        String outside = "{\"type\":\"message\",\"id\":\"0000cafe\",\"parentId\":\"" + expected.getLast()
                + "\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"message\":{\"role\":\"user\",\"content\":\"from outside\"}}\n";
        Files.writeString(entry.transcript(), outside, StandardOpenOption.APPEND);
        assertThat(store.history(MAIN, 2).entries()).extracting(TranscriptEntry::id).containsExactly(expected.getLast(), "0000cafe");
        assertThat(store.history(MAIN, 5_000).entries()).hasSize(3_001);

        store.reset(MAIN);
        assertThat(store.history(MAIN, 10).entries()).isEmpty();
    }

    @Test
    void reopenedStoreHasEveryRowAndTheChainContinues() {
        create(MAIN);
        TranscriptEntry before = store.append(MAIN, TranscriptMessage.User.text("before"));
        store.setLabel(MAIN, "ops-main");

        reopen();

        SessionEntry entry = store.get(MAIN).orElseThrow();
        assertThat(entry.label()).isEqualTo("ops-main");
        TranscriptEntry after = store.append(MAIN, TranscriptMessage.User.text("after"));
        assertThat(after.parentId()).isEqualTo(before.id());
        assertThat(store.history(MAIN, 10).entries()).containsExactly(before, after);
    }

    @Test
    void resetGivesANewSessionIdAndArchivesTheOldTranscriptUnderOpenClawsName() throws IOException {
        SessionEntry old = create(MAIN);
        store.append(MAIN, TranscriptMessage.User.text("old conversation"));
        store.setLabel(MAIN, "keep-me");
        store.setModelOverride(MAIN, "openai", "gpt-5.4");
        store.addUsage(MAIN, 100, 20, 120);

        SessionEntry fresh = store.reset(MAIN);

        assertThat(fresh.sessionId()).isNotEqualTo(old.sessionId());
        assertThat(fresh.transcript()).isNotEqualTo(old.transcript()).exists();
        assertThat(old.transcript()).doesNotExist();
        try (var files = Files.list(old.transcript().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.matches(old.sessionId() + "\\.jsonl\\.reset\\.\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}Z"));
        }
        assertThat(lines(fresh.transcript())).hasSize(1);
        assertThat(lines(fresh.transcript()).getFirst().path("cwd").asText()).isEqualTo("/work/ops");
        assertThat(store.history(MAIN, 10).entries()).isEmpty();
        assertThat(fresh.label()).isEqualTo("keep-me");
        assertThat(fresh.modelOverride()).isEqualTo("gpt-5.4");
        assertThat(fresh.tokens()).isEqualTo(SessionEntry.TokenCounts.ZERO);
        assertThat(store.findBySessionId(old.sessionId())).isEmpty();
        assertThat(store.findBySessionId(fresh.sessionId())).hasValue(fresh);
        assertThat(store.append(MAIN, TranscriptMessage.User.text("new")).parentId()).isNull();
    }

    @Test
    void deleteRemovesTheRowAndRemovesOrArchivesTheTranscript() throws IOException {
        SessionKey a = SessionKey.parse("agent:ops:cron:a");
        SessionKey b = SessionKey.parse("agent:ops:cron:b");
        Path aFile = create(a).transcript();
        Path bFile = create(b).transcript();

        assertThat(store.delete(a, true)).isTrue();
        assertThat(store.delete(b, false)).isTrue();
        assertThat(store.delete(b, false)).as("already gone").isFalse();

        assertThat(store.get(a)).isEmpty();
        assertThat(store.get(b)).isEmpty();
        assertThat(aFile).doesNotExist();
        assertThat(bFile).doesNotExist();
        try (var files = Files.list(bFile.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement()
                    .satisfies(name -> assertThat(name).startsWith(bFile.getFileName() + ".deleted."));
        }
        assertThatThrownBy(() -> store.append(a, TranscriptMessage.User.text("x"))).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void listFiltersByAgentParentRecencyAndKindNewestFirst() {
        SessionKey opsMain = MAIN;
        SessionKey child1 = SessionKey.subagent("research", UUID.randomUUID());
        SessionKey child2 = SessionKey.subagent("research", UUID.randomUUID());
        SessionKey dm = SessionKey.parse("agent:ops:telegram:direct:bob");
        create(opsMain);
        store.getOrCreate(child1, NewSession.of(child1, "main", null).withSpawnedBy(opsMain));
        store.getOrCreate(child2, NewSession.of(child2, "main", null).withSpawnedBy(opsMain));
        create(dm);
        store.append(child1, TranscriptMessage.User.text("most recent"));

        assertThat(store.list(SessionQuery.all())).extracting(SessionEntry::key).first().isEqualTo(child1);
        assertThat(store.list(SessionQuery.all().agent("research"))).extracting(SessionEntry::key).containsExactlyInAnyOrder(child1, child2);
        assertThat(store.list(SessionQuery.all().spawnedBy(opsMain.toString()))).hasSize(2);
        assertThat(store.list(SessionQuery.all().kinds(Set.of(SessionKind.DIRECT)))).extracting(SessionEntry::key).containsExactly(dm);
        assertThat(store.get(dm).orElseThrow().channel()).isEqualTo("telegram");
        Instant touched = store.get(child1).orElseThrow().updatedAt();
        assertThat(store.list(SessionQuery.all().updatedSince(touched))).extracting(SessionEntry::key).contains(child1);
        assertThat(store.list(SessionQuery.all().updatedSince(touched.plusSeconds(1)))).isEmpty();
        assertThat(store.list(SessionQuery.all().limit(2))).hasSize(2);
    }

    @Test
    void labelsAreUniquePerAgentAndFindTheirSession() {
        SessionKey other = SessionKey.parse("agent:ops:work");
        SessionKey elsewhere = SessionKey.main("research", "main");
        create(MAIN);
        create(other);
        create(elsewhere);

        store.setLabel(MAIN, "inbox");
        store.setLabel(elsewhere, "inbox");

        assertThat(store.findByLabel("ops", "inbox").map(SessionEntry::key)).hasValue(MAIN);
        assertThat(store.findByLabel("research", "inbox").map(SessionEntry::key)).hasValue(elsewhere);
        assertThatThrownBy(() -> store.setLabel(other, "inbox")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label \"inbox\" is already used by session agent:ops:main");
        store.setLabel(MAIN, null);
        assertThat(store.findByLabel("ops", "inbox")).isEmpty();
        assertThat(store.setLabel(other, "inbox").label()).isEqualTo("inbox");
    }

    @Test
    void sessionCreatedWithATakenLabelIsRefusedBeforeAnythingIsWritten() throws IOException {
        create(MAIN);
        store.setLabel(MAIN, "inbox");
        SessionKey other = SessionKey.parse("agent:ops:work");

        assertThatThrownBy(() -> store.getOrCreate(other, NewSession.of(other, "main", null).withLabel("inbox")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.get(other)).isEmpty();
        try (var files = Files.list(state.resolve("agents/ops/sessions"))) {
            assertThat(files).hasSize(1);
        }
        assertThat(store.getOrCreate(other, NewSession.of(other, "main", null).withLabel("outbox")).label()).isEqualTo("outbox");
    }

    @Test
    void usageAccumulatesAndModelOverrideSetsAndClears() {
        create(MAIN);
        store.addUsage(MAIN, 100, 10, 110);
        SessionEntry after = store.addUsage(MAIN, 50, 5, 165);

        assertThat(after.tokens()).isEqualTo(new SessionEntry.TokenCounts(150, 15, 165, 165));
        assertThat(store.setModelOverride(MAIN, "openai", "gpt-5.4").providerOverride()).isEqualTo("openai");
        SessionEntry cleared = store.setModelOverride(MAIN, null, null);
        assertThat(cleared.providerOverride()).isNull();
        assertThat(cleared.modelOverride()).isNull();
    }

    @Test
    void tornLastLineIsSkippedWithAWarningAndTheNextEntryStartsOnItsOwnLine() throws IOException {
        SessionEntry entry = create(MAIN);
        TranscriptEntry kept = store.append(MAIN, TranscriptMessage.User.text("complete"));
        Files.writeString(entry.transcript(), "{\"type\":\"message\",\"id\":\"dead", StandardOpenOption.APPEND);

        History torn = store.history(MAIN, 10);
        assertThat(torn.entries()).containsExactly(kept);
        assertThat(torn.warnings()).singleElement().asString().contains("unreadable line ({\"type\":\"message\",\"id\":\"dead)");

        reopen();
        TranscriptEntry next = store.append(MAIN, TranscriptMessage.User.text("after the crash"));
        assertThat(next.parentId()).isEqualTo(kept.id());
        History repaired = store.history(MAIN, 10);
        assertThat(repaired.entries()).containsExactly(kept, next);
        assertThat(repaired.warnings()).hasSize(1);
    }

    @Test
    void unknownRolesAndBlocksSurviveAReadAndAWrite() throws IOException {
        SessionEntry entry = create(MAIN);
        String custom = "{\"role\":\"custom\",\"customType\":\"x\",\"content\":\"hi\",\"display\":true,\"timestamp\":1}";
        Files.writeString(entry.transcript(), "{\"type\":\"message\",\"id\":\"aaaaaaaa\",\"parentId\":null,\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"message\":"
                + custom + "}\n" + "{\"type\":\"message\",\"id\":\"bbbbbbbb\",\"parentId\":\"aaaaaaaa\",\"timestamp\":\"2026-01-01T00:00:01.000Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\"},{\"type\":\"text\",\"text\":\"ok\"}]}}\n",
                StandardOpenOption.APPEND);
        reopen();

        List<TranscriptEntry> entries = store.history(MAIN, 10).entries();
        assertThat(entries.get(0).message()).isInstanceOf(TranscriptMessage.Unknown.class);
        TranscriptMessage.Assistant assistant = (TranscriptMessage.Assistant) entries.get(1).message();
        assertThat(assistant.content().getFirst()).isEqualTo(new Content.Unknown("thinking", "{\"type\":\"thinking\",\"thinking\":\"hmm\"}"));

        TranscriptEntry copy = store.append(MAIN, assistant);
        assertThat(copy.parentId()).isEqualTo("bbbbbbbb");
        assertThat(lines(entry.transcript()).getLast().path("message").path("content").get(0).path("thinking").asText()).isEqualTo("hmm");
    }

    @Test
    void readOnlyReaderSeesTheGatewaysWritesWhileItRunsAndRefusesToWrite() {
        create(MAIN);
        try (SessionReader reader = SessionStore.openReadOnly(state)) {
            assertThat(reader.get(MAIN)).isPresent();
            SessionKey later = SessionKey.parse("agent:ops:hook:h1");
            create(later);
            store.append(later, TranscriptMessage.User.text("seen"));
            assertThat(reader.get(later)).isPresent();
            assertThat(reader.history(later, 5).entries()).hasSize(1);
            assertThatThrownBy(() -> ((SessionStore) reader).append(later, TranscriptMessage.User.text("no")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void readOnlyReaderOfAStateDirWithoutAStoreIsEmptyAndCreatesNothing(@TempDir Path empty) throws IOException {
        try (SessionReader reader = SessionStore.openReadOnly(empty)) {
            assertThat(reader.list(SessionQuery.all())).isEmpty();
        }
        try (var files = Files.list(empty)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void storeRefusesWritesOnceItsLockIsReleased() {
        create(MAIN);
        lock.close();
        assertThatThrownBy(() -> store.append(MAIN, TranscriptMessage.User.text("x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lock was released");
    }
}
