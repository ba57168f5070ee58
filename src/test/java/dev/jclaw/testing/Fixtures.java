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
