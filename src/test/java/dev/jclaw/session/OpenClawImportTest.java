package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;
import dev.jclaw.session.TranscriptMessage.Content;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Import of a fixture OpenClaw 2026.4 state dir (sessions.json + v3 transcripts). */
class OpenClawImportTest {
    private static final SessionKey MAIN = SessionKey.parse("agent:main:main");
    private static final SessionKey THREAD = SessionKey.parse("agent:main:telegram:group:-100200:thread:77");
    private static final SessionKey CHILD = SessionKey.parse("agent:research:subagent:5e3c1d2a-7b8f-4a6e-9c0d-1e2f3a4b5c6d");
    private static final SessionKey CRON = SessionKey.parse("agent:research:cron:nightly");
    private static final SessionKey ORPHAN = SessionKey.parse("agent:research:orphan");

    @TempDir
    Path temp;

    private Path openclaw;
    private Path jclaw;

    @BeforeEach
    void copyFixture() throws IOException {
        openclaw = temp.resolve("openclaw");
        jclaw = temp.resolve("jclaw");
        Path source = Fixtures.resource("openclaw-state");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = openclaw.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) Files.createDirectories(target);
                else Files.copy(file, target);
            }
        }
    }

    private static List<Path> snapshot(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void importBringsEveryUsableEntryWithItsTranscriptAndReportsWhatItCouldNot() throws IOException {
        List<Path> before = snapshot(openclaw);
        OpenClawImport.Report report;
        try (StateLock lock = StateLock.acquire(jclaw, "import"); SessionStore store = SessionStore.open(lock)) {
            report = OpenClawImport.run(openclaw, store);

            assertThat(report.agents()).isEqualTo(2);
            assertThat(report.imported()).isEqualTo(5);
            assertThat(report.transcriptsCopied()).isEqualTo(4);
            assertThat(report.warnings()).containsExactlyInAnyOrder(
                    "research agent:research:orphan: transcript " + openclaw.resolve("agents/research/sessions/deadbeef-0000-4000-8000-000000000000.jsonl")
                            + " is missing; imported with an empty history",
                    "research agent:research:orphan: label \"digest\" is already used by another session of research; "
                            + "imported without it (kept in the row's OpenClaw fields)",
                    "research agent:research:broken: no sessionId; skipped");

            SessionEntry main = store.get(MAIN).orElseThrow();
            assertThat(main.sessionId()).isEqualTo("6a1f0c2e-3b7d-4c52-9e1a-0d4f5b6c7a81");
            assertThat(main.kind()).isEqualTo(SessionKind.MAIN);
            assertThat(main.channel()).isEqualTo("webchat");
            assertThat(main.startedAt()).isEqualTo(Instant.ofEpochMilli(1767222000000L));
            assertThat(main.updatedAt()).isEqualTo(Instant.ofEpochMilli(1767225600000L));
            assertThat(main.modelOverride()).isEqualTo("claude-opus-4-6");
            assertThat(main.tokens()).isEqualTo(new SessionEntry.TokenCounts(1200, 340, 1540, 1540));
            assertThat(main.transcript()).isEqualTo(jclaw.resolve("agents/main/sessions/6a1f0c2e-3b7d-4c52-9e1a-0d4f5b6c7a81.jsonl"));

            List<TranscriptEntry> history = store.history(MAIN, 10).entries();
            assertThat(history).extracting(TranscriptEntry::id).containsExactly("1a2b3c4d", "2b3c4d5e", "3c4d5e6f", "4d5e6f70");
            TranscriptMessage.Assistant call = (TranscriptMessage.Assistant) history.get(1).message();
            assertThat(call.content().get(1)).isEqualTo(new Content.ToolCall("toolu_01", "fs__list_directory", Map.of("path", "notes")));
            assertThat(call.usage().totalTokens()).isEqualTo(940);
            assertThat(history.get(2).message()).isInstanceOf(TranscriptMessage.ToolResult.class);

            SessionEntry thread = store.get(THREAD).orElseThrow();
            assertThat(thread.kind()).isEqualTo(SessionKind.GROUP);
            assertThat(thread.label()).isEqualTo("ops-thread");
            assertThat(thread.transcript().getFileName()).as("a topic file gets the canonical name")
                    .hasToString("b2c0ffee-0000-4000-8000-000000000077.jsonl");
            assertThat(store.history(THREAD, 10).entries()).hasSize(1);

            SessionEntry child = store.get(CHILD).orElseThrow();
            assertThat(child.spawnedBy()).isEqualTo("agent:main:main");
            assertThat(store.findByLabel("research", "digest").map(SessionEntry::key)).hasValue(CHILD);
            assertThat(store.list(SessionQuery.all().spawnedBy("agent:main:main"))).extracting(SessionEntry::key).containsExactly(CHILD);
            assertThat(store.history(CHILD, 10).entries()).as("the active branch, past the compaction, without the abandoned draft")
                    .extracting(TranscriptEntry::id).containsExactly("e0000001", "e0000003", "e0000005");

            assertThat(store.get(CRON).orElseThrow().kind()).as("a legacy key without agent: is scoped to its agent").isEqualTo(SessionKind.CRON);
            assertThat(store.get(ORPHAN).orElseThrow().label()).isNull();
            assertThat(store.history(ORPHAN, 10).entries()).isEmpty();
            assertThat(store.append(ORPHAN, TranscriptMessage.User.text("revived")).parentId()).isNull();
            assertThat(store.append(MAIN, TranscriptMessage.User.text("continuing")).parentId()).isEqualTo("4d5e6f70");
        }
        assertThat(snapshot(openclaw)).as("the OpenClaw state dir is only read").isEqualTo(before);
        assertThat(Files.readString(openclaw.resolve("agents/main/sessions/6a1f0c2e-3b7d-4c52-9e1a-0d4f5b6c7a81.jsonl")))
                .doesNotContain("continuing");
    }

    @Test
    void runningTheImportAgainAddsNothingAndOverwritesNothing() {
        try (StateLock lock = StateLock.acquire(jclaw, "import"); SessionStore store = SessionStore.open(lock)) {
            OpenClawImport.run(openclaw, store);
            store.append(MAIN, TranscriptMessage.User.text("written after the import"));

            OpenClawImport.Report again = OpenClawImport.run(openclaw, store);

            assertThat(again.imported()).isZero();
            assertThat(again.alreadyPresent()).isEqualTo(5);
            assertThat(again.transcriptsCopied()).isZero();
            assertThat(store.count()).isEqualTo(5);
            assertThat(store.history(MAIN, 1).entries().getFirst().message()).isEqualTo(TranscriptMessage.User.text("written after the import"));
        }
    }

    @Test
    void importingAStateDirInPlaceIndexesItsTranscriptsWithoutCopying() {
        try (StateLock lock = StateLock.acquire(openclaw, "import"); SessionStore store = SessionStore.open(lock)) {
            OpenClawImport.Report report = OpenClawImport.run(openclaw, store);

            assertThat(report.imported()).isEqualTo(5);
            assertThat(report.transcriptsCopied()).as("only the topic file, which gets its canonical name").isEqualTo(1);
            assertThat(store.get(MAIN).orElseThrow().transcript())
                    .isEqualTo(openclaw.resolve("agents/main/sessions/6a1f0c2e-3b7d-4c52-9e1a-0d4f5b6c7a81.jsonl"));
            assertThat(store.history(MAIN, 10).entries()).hasSize(4);
        }
    }
}
