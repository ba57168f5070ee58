package dev.jclaw.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where JClaw keeps its state: {@code JCLAW_STATE_DIR}, else {@code OPENCLAW_STATE_DIR}, else
 * {@code ~/.jclaw}. The process ledger lives in its {@code run/} folder. {@code ~} is {@code $HOME}
 * as OpenClaw (Node's {@code os.homedir()}) reads it, and the JVM's {@code user.home} (the passwd
 * entry) only when {@code HOME} is unset: a service or container that sets HOME gets what it set.
 */
public final class StateDir {
    private StateDir() {}

    public static Path resolve(Map<String, String> env) {
        for (String name : new String[] {"JCLAW_STATE_DIR", "OPENCLAW_STATE_DIR"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) return Path.of(value).toAbsolutePath().normalize();
        }
        return home(env).resolve(".jclaw");
    }

    /** {@code $HOME}, else the JVM's {@code user.home}. */
    public static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    public static Path resolve() {
        return resolve(System.getenv());
    }

    /** The folder of process ledgers inside a state dir. */
    public static Path runDir(Path stateDir) {
        return stateDir.resolve("run");
    }
}
