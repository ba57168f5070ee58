package dev.jclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorCommandTest {

    @Test
    void doctorReportsTheLaunchChainSubreaperAndLeftoversAsJson(@TempDir Path state) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Main.run("doctor", "--json", "--state-dir", state.toString());
        } finally {
            System.setOut(original);
        }
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));

        assertThat(report.path("launchChain").asText()).isIn("namespace", "session-watchdog", "session");
        assertThat(report.path("chains").path("session").asBoolean()).isTrue();
        assertThat(report.path("subreaper").asBoolean()).isTrue();
        assertThat(report.path("leftovers").isArray()).isTrue();
        assertThat(status).isEqualTo(report.path("leftovers").isEmpty() ? 0 : 1);
    }
}
