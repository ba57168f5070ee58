package dev.jclaw.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of test fixtures: the chaos child script and the npm-installed MCP servers. */
public final class Fixtures {
    private Fixtures() {}

    /** {@code sh chaos-child.sh <flags>}. */
    public static List<String> chaosChild(String... flags) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", resource("fixtures/chaos-child.sh").toString()));
        command.addAll(List.of(flags));
        return command;
    }

    /** {@code node fake-mcp-server.mjs <flags>}: a scriptable MCP server (see the script for its flags and tools). */
    public static List<String> fakeMcpServer(String... flags) {
        List<String> command = new ArrayList<>(List.of("node", resource("fixtures/fake-mcp-server.mjs").toString()));
        command.addAll(List.of(flags));
        return command;
    }

    /** {@code npx --no-install <bin>} run in the npm fixtures folder: a real MCP server from the npm registry. */
    public static List<String> npxServer(String bin, String... args) {
        List<String> command = new ArrayList<>(List.of("npx", "--no-install", bin));
        command.addAll(List.of(args));
        return command;
    }

    public static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " not found", e);
        }
    }

    /** Where scripts/test-fixtures.sh installed the npm test peers (node_modules inside). */
    public static Path npmFixtures() {
        Path dir = Path.of(System.getProperty("jclaw.test.fixtures", ".cache/test-fixtures"));
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("npm test peers are missing in " + dir + ": run scripts/test-fixtures.sh (./run-tests does)");
        }
        return dir.toAbsolutePath();
    }
}
