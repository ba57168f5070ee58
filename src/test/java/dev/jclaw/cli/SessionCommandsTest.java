package dev.jclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The issue-3 commands end to end through {@link Main#run}. */
class SessionCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @TempDir
    Path temp;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void configValidateExitsOneAndPrintsEveryErrorWithItsPath() throws Exception {
        Path file = temp.resolve("openclaw.json");
        Files.writeString(file, "{ agents: { list: [{ id: 'Bad Id!' }] }, gateway: { port: 0 } }");

        assertThat(Main.run("config", "validate", file.toString())).isEqualTo(1);

        assertThat(stderr()).contains("is invalid (2 errors)")
                .contains("agents.list[0].id: \"Bad Id!\" must match ^[a-z0-9][a-z0-9_-]{0,63}$")
                .contains("gateway.port: expected a whole number from 1 to 65535, got 0");
    }

    @Test
    void configValidateAcceptsAnOpenClawConfigAndListsIgnoredSettingsAsWarnings() {
        Path file = Fixtures.resource("config/openclaw-docs/02-starter.json5");

        assertThat(Main.run("config", "validate", file.toString())).isZero();

        assertThat(stdout()).contains("is valid: 1 agent (default: main)");
        assertThat(stderr()).contains("channels.whatsapp: OpenClaw setting not implemented by JClaw; ignored");
    }

    @Test
    void configValidateSpeaksJsonForScripts() throws Exception {
        Path bad = temp.resolve("openclaw.json");
        Files.writeString(bad, "{ agents: { list: [{ id: 'Bad Id!' }] }, channels: { discord: {} } }");

        assertThat(Main.run("config", "validate", "--json", bad.toString())).isEqualTo(1);
        JsonNode invalid = new ObjectMapper().readTree(stdout());
        assertThat(invalid.path("valid").asBoolean(true)).isFalse();
        assertThat(invalid.path("errors").get(0).path("path").asText()).isEqualTo("agents.list[0].id");
        assertThat(invalid.path("warnings").get(0).path("path").asText()).isEqualTo("channels.discord");
        out.reset();

        assertThat(Main.run("config", "validate", "--json", Fixtures.resource("config/openclaw-docs/02-starter.json5").toString())).isZero();
        JsonNode valid = new ObjectMapper().readTree(stdout());
        assertThat(valid.path("valid").asBoolean()).isTrue();
        assertThat(valid.path("errors")).isEmpty();
        assertThat(valid.path("defaultAgent").asText()).isEqualTo("main");
    }

    @Test
    void configShowRedactsSecrets() throws Exception {
        Path file = temp.resolve("jclaw.json");
        Files.writeString(file, "{ gateway: { auth: { mode: 'token', token: 'very-secret' } } }");

        assertThat(Main.run("config", "show", "--config", file.toString())).isZero();

        assertThat(stdout()).contains("\"token\" : \"<redacted>\"").doesNotContain("very-secret");
    }

    @Test
    void importedSessionsAreListedAsJsonAndAsATable() throws Exception {
        Path state = temp.resolve("state");

        assertThat(Main.run("import-openclaw", "--from", Fixtures.resource("openclaw-state").toString(), "--state-dir", state.toString()))
                .isZero();
        assertThat(stdout()).contains("Imported 5 sessions from 2 agents");
        out.reset();
        assertThat(Main.run("import-openclaw", "--json", "--from", Fixtures.resource("openclaw-state").toString(), "--state-dir", state.toString()))
                .isZero();
        JsonNode again = new ObjectMapper().readTree(stdout());
        assertThat(again.path("imported").asInt()).isZero();
        assertThat(again.path("alreadyPresent").asInt()).isEqualTo(5);
        out.reset();

        assertThat(Main.run("sessions", "--json", "--agent", "research", "--state-dir", state.toString())).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout());
        assertThat(json.path("count").asInt()).isEqualTo(3);
        assertThat(json.path("sessions").get(0).path("key").asText()).isEqualTo("agent:research:subagent:5e3c1d2a-7b8f-4a6e-9c0d-1e2f3a4b5c6d");
        assertThat(json.path("sessions").get(0).path("label").asText()).isEqualTo("digest");
        out.reset();

        assertThat(Main.run("sessions", "--state-dir", state.toString())).isZero();
        assertThat(stdout()).contains("5 sessions in").contains("agent:main:main").contains("ops-thread");
    }

    @Test
    void importIsRefusedWhileTheStateDirIsLocked() {
        Path state = temp.resolve("state");
        try (var lock = dev.jclaw.session.StateLock.acquire(state, "gateway")) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(Main.run("import-openclaw", "--from", Fixtures.resource("openclaw-state").toString(), "--state-dir", state.toString()))
                    .isEqualTo(1);
        }
        assertThat(stderr()).contains("is in use by another JClaw process");
    }
}
