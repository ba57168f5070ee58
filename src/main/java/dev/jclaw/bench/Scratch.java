package dev.jclaw.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The benchmarks' scratch folders: made in the temp dir, removed whole when the benchmark ends. */
final class Scratch {
    private Scratch() {}

    static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the benchmark's scratch folder " + dir, e);
        }
    }
}
