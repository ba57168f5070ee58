package dev.jclaw.config;

import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpora: configs shaped like OpenClaw's documented examples and the reference must load
 * without errors; each broken config must yield exactly the errors its {@code // expect:} lines name.
 */
class ConfigFixturesTest {
    private static final String EXPECT = "// expect: ";

    @TempDir
    Path home;

    static Stream<Named<Path>> openClawDocsExamples() throws IOException {
        return files("config/openclaw-docs");
    }

    static Stream<Named<Path>> referenceExamples() throws IOException {
        return files("config/reference");
    }

    static Stream<Named<Path>> brokenConfigs() throws IOException {
        return files("config/broken");
    }

    @ParameterizedTest
    @MethodSource("openClawDocsExamples")
    void everyOpenClawDocsExampleLoadsWithoutErrors(Path file) {
        assertValid(file);
    }

    @ParameterizedTest
    @MethodSource("referenceExamples")
    void everyReferenceExampleLoadsWithoutErrors(Path file) {
        assertValid(file);
    }

    @ParameterizedTest
    @MethodSource("brokenConfigs")
    void everyBrokenConfigYieldsExactlyItsExpectedErrors(Path file) throws IOException {
        Path dir = file.getParent().toRealPath();
        List<String> expected = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length())
                        .replace("${DIR}", dir.toString()).replace("${PARENT}", dir.getParent().toString()))
                .toList();
        assertThat(expected).as("fixture %s names its errors", file.getFileName()).isNotEmpty();

        ConfigResult result = ConfigLoader.load(file, TestEnv.of(home));

        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        List<String> errors = ((ConfigResult.Invalid) result).errors().stream().map(ConfigProblem::toString).toList();
        assertThat(errors).containsExactlyInAnyOrderElementsOf(expected);
    }

    private void assertValid(Path file) {
        ConfigResult result = ConfigLoader.load(file, TestEnv.of(home));
        assertThat(result).as("%s: %s", file.getFileName(), result).isInstanceOf(ConfigResult.Valid.class);
        assertThat(result.warnings()).noneMatch(w -> w.message().startsWith("unknown key"));
    }

    private static Stream<Named<Path>> files(String folder) throws IOException {
        try (Stream<Path> list = Files.list(Fixtures.resource(folder))) {
            return list.filter(p -> p.toString().endsWith(".json5")).sorted()
                    .map(p -> Named.of(p.getFileName().toString(), p)).toList().stream();
        }
    }
}
