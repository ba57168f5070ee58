package dev.jclaw.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Which config file to read: {@code --config}, then {@code JCLAW_CONFIG}, then
 * {@code OPENCLAW_CONFIG_PATH}, then {@code jclaw.json} in the state dir ({@code ~/.jclaw} by default) —
 * or the state dir's {@code openclaw.json} when only that exists, so pointing
 * {@code OPENCLAW_STATE_DIR} at {@code ~/.openclaw} reads the user's file unchanged.
 */
public final class ConfigLocation {
    static final String JCLAW_FILE = "jclaw.json";
    static final String OPENCLAW_FILE = "openclaw.json";
    private static final String DEFAULT_RESOURCE = "default-config.json5";

    private ConfigLocation() {}

    /** @param explicit the {@code --config} value, or null */
    public static Path resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) return explicit.toAbsolutePath().normalize();
        for (String name : List.of("JCLAW_CONFIG", "OPENCLAW_CONFIG_PATH")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) return Path.of(value).toAbsolutePath().normalize();
        }
        Path stateDir = StateDir.resolve(env);
        Path jclaw = stateDir.resolve(JCLAW_FILE);
        Path openclaw = stateDir.resolve(OPENCLAW_FILE);
        return !Files.exists(jclaw) && Files.exists(openclaw) ? openclaw : jclaw;
    }

    /**
     * Writes the commented default config (one agent {@code main}) when {@code file} does not exist.
     * The write is atomic, so a concurrent reader sees either nothing or the whole file.
     *
     * @return whether the file was written
     */
    public static boolean writeDefaultIfMissing(Path file) {
        if (Files.exists(file)) return false;
        try (InputStream in = ConfigLocation.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            byte[] content = in.readAllBytes();
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, content);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default config " + file, e);
        }
    }
}
