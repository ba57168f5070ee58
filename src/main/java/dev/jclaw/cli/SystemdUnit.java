package dev.jclaw.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The systemd user unit {@code jclaw gateway install} writes. {@code KillMode=control-group}: on stop
 * systemd signals every process of the service's cgroup, so even a process that escaped the
 * gateway's own supervision cannot outlive the service. The gateway itself exits within its
 * shutdown bound (10 s) of SIGTERM; {@code TimeoutStopSec} leaves room above that.
 */
final class SystemdUnit {
    /** The flags ./jclaw gives a gateway (the launcher says why); a test holds the two equal. */
    static final String GATEWAY_JVM_FLAGS = "-XX:TieredStopAtLevel=1 -Xms8m -XX:NewSize=1m -XX:TrimNativeHeapInterval=5000";

    private SystemdUnit() {}

    static Path userUnitDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : dev.jclaw.config.StateDir.home(env).resolve(".config");
        return base.resolve("systemd").resolve("user");
    }

    /** How the service starts this gateway: the ./jclaw launcher when it started us, else java -jar on this jar. */
    static String execStart(Integer port) {
        String launcher = System.getenv("JCLAW_LAUNCHER");
        String command;
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            command = quote(Path.of(launcher).toAbsolutePath().toString());
        } else {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            command = userNamespacePrefix(isRoot(), which("unshare")) + quote(java) + " --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC "
                    + GATEWAY_JVM_FLAGS + " -jar " + quote(jar());
        }
        return command + " gateway run" + (port != null ? " --port " + port : "");
    }

    /**
     * What ./jclaw puts before java for an ordinary user: a user namespace of the gateway's own, with
     * its capabilities kept there, so it can keep one PID namespace for all its children.
     */
    static String userNamespacePrefix(boolean root, String unshare) {
        return root || unshare == null ? "" : quote(unshare) + " --user --map-current-user --keep-caps -- ";
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return Path.of(dir, program).toString();
        }
        return null;
    }

    private static String jar() {
        try {
            return Path.of(SystemdUnit.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the jclaw jar is; run `jclaw gateway install` through ./jclaw", e);
        }
    }

    static String render(String execStart, Path configFile, Path stateDir) {
        return """
                [Unit]
                Description=JClaw gateway (OpenClaw-compatible agent gateway)
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=simple
                ExecStart=%s
                Environment=JCLAW_CONFIG=%s
                Environment=JCLAW_STATE_DIR=%s
                Restart=on-failure
                RestartSec=2
                # SIGTERM to every process of the service; the gateway stops its runs and MCP servers within 10 s,
                # and whatever is left of the cgroup is killed, so nothing of it outlives a stop.
                KillMode=control-group
                KillSignal=SIGTERM
                TimeoutStopSec=20

                [Install]
                WantedBy=default.target
                """.formatted(execStart, configFile.toAbsolutePath(), stateDir.toAbsolutePath());
    }

    /** What the service will not see that this shell does. */
    static List<String> warnings(Map<String, String> env, Path configFile) {
        List<String> warnings = new ArrayList<>();
        for (String name : List.of("JCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_TOKEN", "JCLAW_GATEWAY_PASSWORD", "OPENCLAW_GATEWAY_PASSWORD")) {
            if (env.get(name) != null) {
                warnings.add(name + " is set in this shell but the service will not see it: put the secret in gateway.auth of "
                        + configFile + " (or add an EnvironmentFile= to the unit)");
            }
        }
        if (!Files.exists(configFile)) warnings.add(configFile + " does not exist yet: the first start writes a default config there");
        return warnings;
    }

    private static String quote(String path) {
        return path.contains(" ") ? "\"" + path + "\"" : path;
    }
}
