package dev.jclaw.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the ./jclaw launcher does once per build: {@code gateway --train} under
 * {@code -XX:AOTCacheOutput}. A training run that fails leaves the launcher without a cache, which it
 * survives silently (start-to-ready then triples), so the failure has to show here. An AOT cache
 * takes jars only, not class folders, and the test phase runs before the jar is built: the test
 * jars the compiled classes itself.
 */
class AotTrainingTest {
    @TempDir
    Path home;

    @Test
    void theTrainingRunRecordsACacheThatAGatewayJvmThenLoadsItsClassesFrom() throws Exception {
        List<String> classPath = new ArrayList<>(List.of(jarOfMainClasses().toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) classPath.add(entry);
        }
        String cp = String.join(File.pathSeparator, classPath);
        Path cache = home.resolve("jclaw.aot");
        Map<String, String> env = Map.of("HOME", home.toString(), "JCLAW_STATE_DIR", home.resolve("state").toString());

        GatewayProcess.Result training = GatewayProcess.run(home, env, Duration.ofSeconds(180),
                List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=off", "-Xlog:cds=off", "-cp", cp), "gateway", "--train");
        assertThat(training.exit()).as(training.out() + training.err()).isZero();
        assertThat(training.err()).contains("training run done");
        assertThat(Files.size(cache)).as("cache size").isGreaterThan(1 << 20);
        assertThat(Files.exists(home.resolve("state"))).as("the training run uses a scratch state dir, not the configured one").isFalse();

        // AOTMode=on makes a JVM that cannot use the cache fail at once instead of quietly running without it.
        Path classes = home.resolve("classes.log");
        GatewayProcess.Result using = GatewayProcess.run(home, env, Duration.ofSeconds(60),
                List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-Xlog:class+load=info:file=" + classes, "-cp", cp), "--version");
        assertThat(using.exit()).as(using.out() + using.err()).isZero();
        assertThat(using.out()).startsWith("jclaw ");
        List<String> loaded = Files.readAllLines(classes);
        for (String name : List.of("dev.jclaw.gateway.Gateway", "dev.jclaw.gateway.Connection",
                "org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler", "com.fasterxml.jackson.databind.ObjectMapper")) {
            assertThat(loaded).as(name + " from the cache").anyMatch(line -> line.contains(" " + name + " source: shared objects file"));
        }
    }

    /** target/classes as a jar in the test's folder. */
    private Path jarOfMainClasses() throws Exception {
        Path classes = Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = home.resolve("jclaw-classes.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
