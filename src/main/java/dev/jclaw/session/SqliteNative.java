package dev.jclaw.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Where sqlite-jdbc loads its native library from: a copy kept in the state dir, made once per
 * driver version. Left to itself the driver copies the library into /tmp at every start (a MiB
 * written, stale copies after a kill -9) and, to rule out Android, runs {@code uname -o}: a child
 * process JClaw did not start through its supervisor, without {@code JCLAW_OWNER}. Naming the
 * library up front ({@code org.sqlite.lib.path}/{@code name}) skips both. On platforms this does
 * not know (not glibc Linux on x86_64 or aarch64) the driver's own lookup stays in charge.
 */
final class SqliteNative {
    private static final String LIBRARY = "libsqlitejdbc.so";

    private SqliteNative() {}

    static synchronized void useCopyIn(Path stateDir) {
        if (System.getProperty("org.sqlite.lib.path") != null) return; // already chosen, by us or by the user
        String folder = platformFolder();
        String version = driverVersion();
        if (folder == null || version == null) return;
        try (InputStream library = SqliteNative.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + LIBRARY)) {
            if (library == null) return;
            Path dir = stateDir.resolve("lib").resolve("sqlite-jdbc-" + version + "-" + folder.replace('/', '-'));
            Path target = dir.resolve(LIBRARY);
            if (!Files.isRegularFile(target)) {
                Files.createDirectories(dir);
                Path partial = Files.createTempFile(dir, LIBRARY, ".partial");
                try {
                    Files.copy(library, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", LIBRARY);
        } catch (IOException e) {
            // A read-only or full state dir: the driver extracts to /tmp as it always does.
        }
    }

    private static String platformFolder() {
        if (!System.getProperty("os.name", "").equals("Linux")) return null;
        try (var entries = Files.list(Path.of("/lib"))) {
            if (entries.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"))) return null;
        } catch (IOException e) {
            return null;
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "Linux/x86_64";
            case "aarch64" -> "Linux/aarch64";
            default -> null;
        };
    }

    private static String driverVersion() {
        try (InputStream in = SqliteNative.class.getResourceAsStream("/META-INF/maven/org.xerial/sqlite-jdbc/pom.properties")) {
            if (in == null) return null;
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
