package dev.jclaw.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code $include} semantics, which file is read, and the first-run default. */
class IncludesAndLocationTest {
    @TempDir
    Path home;

    @Test
    void singleIncludeReplacesTheObjectAndSiblingKeysWin() throws IOException {
        Path dir = Files.createDirectories(home.resolve("cfg"));
        Files.writeString(dir.resolve("agents.json5"), "{ list: [{ id: 'a' }, { id: 'b' }], defaults: { maxConcurrent: 2 } }");
        Files.writeString(dir.resolve("jclaw.json"), "{ agents: { $include: './agents.json5', defaults: { maxConcurrent: 6 } } }");

        JClawConfig c = ConfigLoader.load(dir.resolve("jclaw.json"), TestEnv.of(home)).orElseThrow();

        assertThat(c.agents()).extracting(AgentConfig::id).containsExactly("a", "b");
        assertThat(c.maxConcurrent()).isEqualTo(6);
    }

    @Test
    void arrayOfIncludesIsDeepMergedInOrderAndNestedIncludesResolveFromTheirOwnFolder() throws IOException {
        Path dir = Files.createDirectories(home.resolve("cfg"));
        Path servers = Files.createDirectories(dir.resolve("servers"));
        Files.writeString(servers.resolve("one.json5"), "{ servers: { a: { command: 'a' }, b: { command: 'b1' } } }");
        Files.writeString(servers.resolve("two.json5"), "{ servers: { b: { command: 'b2' } }, $include: './caps.json5' }");
        Files.writeString(servers.resolve("caps.json5"), "{ maxRuntimes: 9 }");
        Files.writeString(dir.resolve("jclaw.json"), "{ mcp: { $include: ['./servers/one.json5', './servers/two.json5'] } }");

        JClawConfig c = ConfigLoader.load(dir.resolve("jclaw.json"), TestEnv.of(home)).orElseThrow();

        assertThat(c.mcp().servers().keySet()).containsExactly("a", "b");
        assertThat(c.mcp().servers().get("b").command()).isEqualTo("b2");
        assertThat(c.mcp().maxRuntimes()).isEqualTo(9);
    }

    @Test
    void includeRootsFromTheEnvironmentAdmitFilesOutsideTheConfigFolder() throws IOException {
        Path shared = Files.createDirectories(home.resolve("shared"));
        Path dir = Files.createDirectories(home.resolve("cfg"));
        Files.writeString(shared.resolve("tools.json5"), "{ profile: 'messaging' }");
        Files.writeString(dir.resolve("jclaw.json"), "{ tools: { $include: '../shared/tools.json5' } }");

        ConfigResult refused = ConfigLoader.load(dir.resolve("jclaw.json"), TestEnv.of(home));
        ConfigResult admitted = ConfigLoader.load(dir.resolve("jclaw.json"), TestEnv.of(home, "OPENCLAW_INCLUDE_ROOTS", shared.toString()));

        assertThat(refused).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(admitted.orElseThrow().tools().policy().profile()).isEqualTo(ToolPolicy.Profile.MESSAGING);
    }

    @Test
    void syntaxErrorInAnIncludedFileNamesTheFileAndLine() throws IOException {
        Path dir = Files.createDirectories(home.resolve("cfg"));
        Files.writeString(dir.resolve("bad.json5"), "{\n  profile: \n}");
        Files.writeString(dir.resolve("jclaw.json"), "{ tools: { $include: 'bad.json5' } }");

        ConfigResult result = ConfigLoader.load(dir.resolve("jclaw.json"), TestEnv.of(home));

        assertThat(((ConfigResult.Invalid) result).errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("tools.$include");
            assertThat(e.message()).startsWith("bad.json5: invalid JSON5 at line 3, column 1");
        });
    }

    @Test
    void withoutAStateDirVariableTheStateDirIsUnderHomeAsTheEnvironmentSetsIt() {
        assertThat(StateDir.resolve(java.util.Map.of("HOME", home.toString()))).isEqualTo(home.resolve(".jclaw"));
        assertThat(StateDir.resolve(java.util.Map.of())).as("HOME unset: the passwd entry")
                .isEqualTo(Path.of(System.getProperty("user.home"), ".jclaw"));
        assertThat(StateDir.resolve(java.util.Map.of("HOME", home.toString(), "OPENCLAW_STATE_DIR", "/x/oc"))).isEqualTo(Path.of("/x/oc"));
    }

    @Test
    void locationPrecedenceIsFlagThenJclawConfigThenOpenclawConfigPathThenStateDir() throws IOException {
        Path state = home.resolve("state");
        assertThat(ConfigLocation.resolve(Path.of("/x/flag.json"), TestEnv.of(home, "JCLAW_CONFIG", "/x/j.json")))
                .isEqualTo(Path.of("/x/flag.json"));
        assertThat(ConfigLocation.resolve(null, TestEnv.of(home, "JCLAW_CONFIG", "/x/j.json", "OPENCLAW_CONFIG_PATH", "/x/o.json")))
                .isEqualTo(Path.of("/x/j.json"));
        assertThat(ConfigLocation.resolve(null, TestEnv.of(home, "OPENCLAW_CONFIG_PATH", "/x/o.json"))).isEqualTo(Path.of("/x/o.json"));
        assertThat(ConfigLocation.resolve(null, TestEnv.of(home))).isEqualTo(state.resolve("jclaw.json"));

        Files.createDirectories(state);
        Files.writeString(state.resolve("openclaw.json"), "{}");
        assertThat(ConfigLocation.resolve(null, TestEnv.of(home))).as("an OpenClaw state dir's own file")
                .isEqualTo(state.resolve("openclaw.json"));
        Files.writeString(state.resolve("jclaw.json"), "{}");
        assertThat(ConfigLocation.resolve(null, TestEnv.of(home))).isEqualTo(state.resolve("jclaw.json"));
    }

    @Test
    void firstRunWritesACommentedDefaultWithOneMainAgentAndNeverOverwrites() throws IOException {
        Path file = home.resolve("state/jclaw.json");

        assertThat(ConfigLocation.writeDefaultIfMissing(file)).isTrue();
        String written = Files.readString(file);
        assertThat(written).startsWith("// JClaw configuration");
        ConfigResult result = ConfigLoader.load(file, TestEnv.of(home));
        assertThat(result.warnings()).isEmpty();
        JClawConfig c = result.orElseThrow();
        assertThat(c.agents()).extracting(AgentConfig::id).containsExactly("main");
        assertThat(c.defaultAgentId()).isEqualTo("main");

        Files.writeString(file, "{ gateway: { port: 1 } }");
        assertThat(ConfigLocation.writeDefaultIfMissing(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("{ gateway: { port: 1 } }");
        assertThat(Files.list(file.getParent()).toList()).as("no temp file left").containsExactly(file);
    }

    @Test
    void missingFileIsAnErrorNamingIt() {
        Path file = home.resolve("nope.json");
        ConfigResult result = ConfigLoader.load(file, TestEnv.of(home));
        assertThat(((ConfigResult.Invalid) result).errors()).extracting(ConfigProblem::toString)
                .isEqualTo(List.of("config file " + file + " does not exist"));
    }
}
