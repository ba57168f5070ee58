package dev.jclaw.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys OpenClaw's schema defines inside the sections JClaw reads ({@code openclaw-keys.txt}), so
 * an OpenClaw setting JClaw does not implement can be told from a typo.
 */
final class OpenClawKeys {
    private static final String RESOURCE = "openclaw-keys.txt";
    private static final String ROOT = "(root)";
    private static final Map<String, Set<String>> KEYS = load();

    private OpenClawKeys() {}

    /** Whether OpenClaw defines {@code key} in the object at {@code schemaPath} ("" for the top level). */
    static boolean defines(String schemaPath, String key) {
        return KEYS.getOrDefault(schemaPath.isEmpty() ? ROOT : schemaPath, Set.of()).contains(key);
    }

    /** Every key OpenClaw defines in the object at {@code schemaPath}. */
    static Set<String> keys(String schemaPath) {
        return KEYS.getOrDefault(schemaPath.isEmpty() ? ROOT : schemaPath, Set.of());
    }

    private static Map<String, Set<String>> load() {
        Map<String, Set<String>> keys = new HashMap<>();
        try (InputStream in = OpenClawKeys.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) continue;
                List<String> words = List.of(line.strip().split("\\s+"));
                keys.put(words.getFirst(), Set.copyOf(words.subList(1, words.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(keys);
    }
}
