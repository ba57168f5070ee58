package dev.jclaw.agent;

import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.TranscriptEntry;
import dev.jclaw.session.TranscriptMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file tools as a model uses them: each call goes through a real run (scripted model over HTTP,
 * transcript, tool loop) on a real workspace directory, and the test looks at the files afterwards.
 */
class FileToolsTest extends EngineTestSupport {
    private Path workspace;

    /** The result of one tool call, as the model received it. */
    private record Result(String text, boolean isError) {}

    private void start(String tools) throws Exception {
        engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  tools: { %s },
                  agents: { list: [ { id: "main", model: "scripted/m1", workspace: "${DIR}/workspace" } ] },
                }
                """.formatted(tools));
        workspace = dir.resolve("workspace");
    }

    @BeforeEach
    void engineWithDefaults() throws Exception {
        start("");
    }

    /** One run in which the model calls {@code tool} with {@code arguments} (JSON), then stops. */
    private Result call(String tool, String arguments) throws Exception {
        return calls(List.of(new Reply.Call(tool, arguments))).getFirst();
    }

    private List<Result> calls(List<Reply.Call> script) throws Exception {
        Deque<Reply.Call> queue = new ArrayDeque<>(script);
        provider.script(r -> {
            if (queue.isEmpty()) return Reply.text("done");
            return Reply.toolCall(queue.peek().name(), queue.poll().arguments());
        });
        String session = "t-" + System.nanoTime();
        RunResult run = engine.agents().run(RunRequest.of("main", "go").withSessionKey(session));
        assertThat(run.status()).as(run.error()).isEqualTo(RunResult.Status.OK);
        return engine.store().history(SessionKey.parse("agent:main:" + session), 100).entries().stream()
                .map(TranscriptEntry::message).filter(m -> m instanceof TranscriptMessage.ToolResult)
                .map(m -> (TranscriptMessage.ToolResult) m)
                .map(r -> new Result(r.content().stream().map(c -> ((TranscriptMessage.Content.Text) c).text()).collect(Collectors.joining()), r.isError()))
                .toList();
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theModelSeesEveryFileToolWithItsSchema() throws Exception {
        call("ls", "{}");
        ScriptedRequest first = provider.requests().getFirst();
        assertThat(first.toolNames()).contains("ls", "read", "write", "edit", "apply_patch");
        assertThat(first.toolSchema("edit").path("properties").path("edits").path("type").asText()).isEqualTo("array");
    }

    @Test
    void writeCreatesParentsThenReadEditAndLsSeeTheChange() throws Exception {
        List<Result> results = calls(List.of(
                new Reply.Call("write", "{\"path\":\"notes/today.md\",\"content\":\"alpha\\nbeta\\ngamma\\n\"}"),
                new Reply.Call("edit", "{\"path\":\"notes/today.md\",\"edits\":[{\"oldText\":\"alpha\",\"newText\":\"ALPHA\"},"
                        + "{\"oldText\":\"gamma\\n\",\"newText\":\"\"}]}"),
                new Reply.Call("read", "{\"path\":\"notes/today.md\"}"),
                new Reply.Call("ls", "{\"path\":\"notes\"}")));

        assertThat(results).extracting(Result::isError).containsOnly(false);
        assertThat(results.get(0).text()).isEqualTo("Created notes/today.md: 17 bytes, 3 lines.");
        assertThat(results.get(1).text()).isEqualTo("Edited notes/today.md: 2 edits (edits[0] at line 1, edits[1] at line 3).");
        assertThat(results.get(2).text()).isEqualTo("ALPHA\nbeta");
        assertThat(results.get(3).text()).isEqualTo("today.md  (11 bytes)");
        assertThat(Files.readString(workspace.resolve("notes/today.md"))).isEqualTo("ALPHA\nbeta\n");
    }

    @Test
    void readPagesALargeFileAndSaysHowToContinue() throws Exception {
        Files.writeString(workspace.resolve("big.txt"), IntStream.rangeClosed(1, 2500).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n");
        Files.writeString(workspace.resolve("wide.txt"), ("x".repeat(99) + "\n").repeat(1000));

        List<Result> results = calls(List.of(
                new Reply.Call("read", "{\"path\":\"big.txt\"}"),
                new Reply.Call("read", "{\"path\":\"big.txt\",\"offset\":2001}"),
                new Reply.Call("read", "{\"path\":\"big.txt\",\"offset\":10,\"limit\":2}"),
                new Reply.Call("read", "{\"path\":\"wide.txt\"}"),
                new Reply.Call("read", "{\"path\":\"big.txt\",\"offset\":9999}")));

        assertThat(results.get(0).text()).startsWith("line 1\nline 2\n").endsWith("line 2000\n\n[Showing lines 1-2000 of 2500 (2000-line limit). Use offset=2001 to continue.]");
        assertThat(results.get(1).text()).startsWith("line 2001\n").endsWith("line 2500\n\n[Lines 2001-2500 of 2500: end of file.]");
        assertThat(results.get(2).text()).isEqualTo("line 10\nline 11\n\n[Showing lines 10-11 of 2500. Use offset=12 to continue.]");
        assertThat(results.get(3).text()).endsWith("[Showing lines 1-512 of 1000 (50 KB limit). Use offset=513 to continue.]");
        assertThat(results.get(4)).isEqualTo(new Result("read: \"offset\" 9999 is past the end of big.txt (2500 lines)", true));
    }

    @Test
    void aLineLongerThanTheWindowIsReadInPiecesWithCursor() throws Exception {
        Files.writeString(workspace.resolve("one.json"), "{" + "\"k\":1,".repeat(20_000) + "}\n");

        List<Result> results = calls(List.of(new Reply.Call("read", "{\"path\":\"one.json\"}"),
                new Reply.Call("read", "{\"path\":\"one.json\",\"offset\":1,\"cursor\":102400}")));

        assertThat(results.get(0).text()).endsWith("[Line 1 is longer than 50 KB: showing characters 0-51200 of 120002; the file has 1 lines. "
                + "Use offset=1 cursor=51200 to continue.]");
        assertThat(results.get(1).text()).hasSize(17_602 + "\n\n[Lines 1-1 of 1 (line 1 from character 102400): end of file.]".length())
                .endsWith("1,}\n\n[Lines 1-1 of 1 (line 1 from character 102400): end of file.]");
    }

    @Test
    void aMissingFileNamesTheFilesNearbyAndBinaryFilesAreRefused() throws Exception {
        Files.writeString(workspace.resolve("config.yaml"), "a: 1\n");
        Files.writeString(workspace.resolve("config.yml.bak"), "a: 0\n");
        Files.write(workspace.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});

        List<Result> results = calls(List.of(new Reply.Call("read", "{\"path\":\"config.yml\"}"),
                new Reply.Call("read", "{\"path\":\"logo.png\"}"),
                new Reply.Call("read", "{\"path\":\"nowhere/x.txt\"}")));

        assertThat(results.get(0)).isEqualTo(new Result("read: \"path\": no such file: config.yml; did you mean config.yaml, config.yml.bak?", true));
        assertThat(results.get(1)).isEqualTo(new Result("read: \"path\": logo.png is a binary file (PNG image); the file tools read and edit text only", true));
        assertThat(results.get(2)).isEqualTo(new Result("read: \"path\": no such file: nowhere/x.txt (its directory nowhere does not exist either)", true));
    }

    @Test
    void anEditThatMatchesNoneOrTwiceOrOverlapsChangesNothing() throws Exception {
        Path file = Files.writeString(workspace.resolve("app.py"), "def a():\n    return 1\n\ndef b():\n    return 1\n");

        List<Result> results = calls(List.of(
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":[{\"oldText\":\"def a():\",\"newText\":\"def A():\"},"
                        + "{\"oldText\":\"return 2\",\"newText\":\"return 3\"}]}"),
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":[{\"oldText\":\"return 1\",\"newText\":\"return 2\"}]}"),
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":[{\"oldText\":\"def a():\\n    return\",\"newText\":\"x\"},"
                        + "{\"oldText\":\"return 1\\n\\ndef b\",\"newText\":\"y\"}]}"),
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":[{\"oldText\":\"def  a():\",\"newText\":\"x\"}]}"),
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":[{\"oldText\":\"\",\"newText\":\"x\"}]}"),
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":[{\"newText\":\"x\"}]}"),
                new Reply.Call("edit", "{\"path\":\"app.py\",\"edits\":\"oops\"}"),
                new Reply.Call("edit", "{\"edits\":[]}")));

        assertThat(results).extracting(Result::isError).containsOnly(true);
        assertThat(results).extracting(Result::text).containsExactly(
                "edit: \"edits[1].oldText\" does not occur in app.py; nothing was changed",
                "edit: \"edits[0].oldText\" occurs 2 times in app.py (lines 2, 5); include more surrounding text so it occurs once; nothing was changed",
                "edit: \"edits[0]\" and \"edits[1]\" overlap (both change line 2); merge them into one edit; nothing was changed",
                "edit: \"edits[0].oldText\" does not occur in app.py (it does at line 1 with different whitespace; copy the text exactly); nothing was changed",
                "edit: \"edits[0].oldText\" is empty; to create or replace a whole file use write",
                "edit: \"edits[0].oldText\" is required",
                "edit: \"edits\" must be an array of objects, got oops",
                "edit: \"path\" is required");
        assertThat(Files.readString(file)).isEqualTo("def a():\n    return 1\n\ndef b():\n    return 1\n");
    }

    @Test
    void anEditKeepsCrlfLineEndings() throws Exception {
        Path file = Files.writeString(workspace.resolve("win.txt"), "one\r\ntwo\r\nthree\r\n");

        Result result = call("edit", "{\"path\":\"win.txt\",\"edits\":[{\"oldText\":\"one\\ntwo\",\"newText\":\"1\\n2\"}]}");

        assertThat(result.isError()).as(result.text()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("1\r\n2\r\nthree\r\n");
    }

    @Test
    void applyPatchAddsUpdatesMovesAndDeletesInOneStep() throws Exception {
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/app.txt"), "header\nold line\nfooter\n");
        Files.writeString(workspace.resolve("src/old-name.txt"), "keep\nchange me\n");
        Files.writeString(workspace.resolve("obsolete.txt"), "bye\n");
        String patch = """
                *** Begin Patch
                *** Add File: docs/new.md
                +# New
                +text
                *** Update File: src/app.txt
                @@ header
                -old line
                +new line
                *** Update File: src/old-name.txt
                *** Move to: src/new-name.txt
                @@
                 keep
                -change me
                +changed
                *** End of File
                *** Delete File: obsolete.txt
                *** End Patch""";

        Result result = call("apply_patch", "{\"input\":" + quote(patch) + "}");

        assertThat(result).isEqualTo(new Result("Applied the patch:\nA docs/new.md\nM src/app.txt\nR src/old-name.txt -> src/new-name.txt\nD obsolete.txt", false));
        assertThat(Files.readString(workspace.resolve("docs/new.md"))).isEqualTo("# New\ntext\n");
        assertThat(Files.readString(workspace.resolve("src/app.txt"))).isEqualTo("header\nnew line\nfooter\n");
        assertThat(Files.readString(workspace.resolve("src/new-name.txt"))).isEqualTo("keep\nchanged\n");
        assertThat(workspace.resolve("src/old-name.txt")).doesNotExist();
        assertThat(workspace.resolve("obsolete.txt")).doesNotExist();
    }

    @Test
    void aPatchThatDoesNotApplyChangesNoFileAtAll() throws Exception {
        Path app = Files.writeString(workspace.resolve("app.txt"), "a\nb\n");
        String patch = """
                *** Begin Patch
                *** Add File: created.txt
                +new
                *** Update File: app.txt
                @@
                -not there
                +x
                *** End Patch""";

        List<Result> results = calls(List.of(new Reply.Call("apply_patch", "{\"input\":" + quote(patch) + "}"),
                new Reply.Call("apply_patch", "{\"input\":\"*** Begin Patch\\n*** Frobnicate: x\\n*** End Patch\"}"),
                new Reply.Call("apply_patch", "{\"input\":\"*** Begin Patch\\n*** Add File: app.txt\\n+x\\n*** End Patch\"}"),
                new Reply.Call("apply_patch", "{\"input\":\"*** Begin Patch\\n*** Delete File: ../outside.txt\\n*** End Patch\"}"),
                new Reply.Call("apply_patch", "{}")));

        assertThat(results).extracting(Result::isError).containsOnly(true);
        assertThat(results.get(0).text()).startsWith("apply_patch: hunk 1 of app.txt does not match the file: these lines are not in it:\nnot there\n")
                .endsWith("nothing was changed");
        assertThat(results.get(1).text()).isEqualTo("apply_patch: \"input\" line 2: expected \"*** Add File:\", \"*** Delete File:\" or "
                + "\"*** Update File:\", got \"*** Frobnicate: x\"; nothing was changed");
        assertThat(results.get(2).text()).isEqualTo("apply_patch: \"input\": *** Add File: app.txt: app.txt already exists "
                + "(delete it earlier in the same patch to replace it); nothing was changed");
        assertThat(results.get(3).text()).startsWith("apply_patch: \"input\": ../outside.txt is outside the workspace");
        assertThat(results.get(4).text()).isEqualTo("apply_patch: \"input\" is required");
        assertThat(workspace.resolve("created.txt")).doesNotExist();
        assertThat(Files.readString(app)).isEqualTo("a\nb\n");
    }

    @Test
    void symlinkAndDotDotEscapesAreRefusedByEveryFileTool() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(workspace.resolve("planted"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(workspace.resolve("parent"), Path.of(".."));

        List<Result> results = calls(List.of(
                new Reply.Call("read", "{\"path\":\"planted\"}"),
                new Reply.Call("read", "{\"path\":\"parent/outside/secret.txt\"}"),
                new Reply.Call("read", "{\"path\":\"../outside/secret.txt\"}"),
                new Reply.Call("write", "{\"path\":\"parent/outside/secret.txt\",\"content\":\"owned\"}"),
                new Reply.Call("edit", "{\"path\":\"parent/outside/secret.txt\",\"edits\":[{\"oldText\":\"secret\",\"newText\":\"owned\"}]}"),
                new Reply.Call("ls", "{\"path\":\"parent\"}"),
                new Reply.Call("apply_patch", "{\"input\":\"*** Begin Patch\\n*** Add File: parent/outside/new.txt\\n+x\\n*** End Patch\"}")));

        assertThat(results).extracting(Result::isError).containsOnly(true);
        assertThat(results.get(0).text()).isEqualTo("read: \"path\": planted is a symbolic link to /etc/shadow, outside the workspace: not followed "
                + "(tools.fs.workspaceOnly confines file tools to " + workspace + ")");
        assertThat(results.subList(1, 7)).extracting(Result::text).allMatch(t -> t.contains("outside the workspace"));
        assertThat(Files.readString(secret)).isEqualTo("secret");
        assertThat(outside.resolve("new.txt")).doesNotExist();
    }

    @Test
    void illTypedArgumentsAreNamed() throws Exception {
        List<Result> results = calls(List.of(new Reply.Call("read", "{\"path\":7}"),
                new Reply.Call("read", "{\"path\":\"a\",\"offset\":0}"),
                new Reply.Call("write", "{\"path\":\"a.txt\"}"),
                new Reply.Call("ls", "{\"limit\":\"ten\"}")));

        assertThat(results).extracting(Result::text).containsExactly(
                "read: \"path\" must be a string, got 7",
                "read: \"offset\" must be between 1 and 2147483647, got 0",
                "write: \"content\" is required",
                "ls: \"limit\" must be an integer, got ten");
        assertThat(workspace.resolve("a.txt")).doesNotExist();
    }

    @Test
    void unconfinedToolsReachOutsideWhenTheConfigSaysSo() throws Exception {
        engine.close();
        engine = null;
        start("fs: { workspaceOnly: false }, exec: { applyPatch: { workspaceOnly: true } }");
        Path outside = Files.writeString(dir.resolve("elsewhere.txt"), "there\n");

        List<Result> results = calls(List.of(new Reply.Call("read", "{\"path\":" + quote(outside.toString()) + "}"),
                new Reply.Call("apply_patch", "{\"input\":\"*** Begin Patch\\n*** Delete File: ../elsewhere.txt\\n*** End Patch\"}")));

        assertThat(results.get(0)).isEqualTo(new Result("there", false));
        assertThat(results.get(1).text()).as("apply_patch stays confined by its own setting").contains("outside the workspace");
        assertThat(outside).exists();
    }

    @Test
    void applyPatchSwitchedOffOrLimitedToOtherModelsIsNotOffered() throws Exception {
        engine.close();
        engine = null;
        start("exec: { applyPatch: { allowModels: [\"gpt-5.4\"] } }");

        call("ls", "{}");

        assertThat(provider.requests().getFirst().toolNames()).contains("read").doesNotContain("apply_patch");
    }
}
