package dev.jclaw.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SystemdUnitTest {
    /** The unit runs the gateway with the launcher's flags when it cannot name the launcher: the two must not drift. */
    @Test
    void aUnitWithoutTheLauncherGivesTheGatewayTheLaunchersFlags() throws Exception {
        String launcher = Files.readString(Path.of("jclaw"));
        assertThat(launcher).contains("gateway_opts=\"" + SystemdUnit.GATEWAY_JVM_FLAGS + "\"");

        assumeTrue(System.getenv("JCLAW_LAUNCHER") == null, "run through ./jclaw: the unit names the launcher instead");
        assertThat(SystemdUnit.execStart(18999)).contains(" -XX:+UseSerialGC " + SystemdUnit.GATEWAY_JVM_FLAGS + " -jar ")
                .endsWith(" gateway run --port 18999");
    }

    /** As ./jclaw does for an ordinary user, the unit starts the JVM in a user namespace of its own; root needs none. */
    @Test
    void anOrdinaryUsersUnitStartsTheGatewayInItsOwnUserNamespaceAsTheLauncherDoes() throws Exception {
        String prefix = SystemdUnit.userNamespacePrefix(false, "/usr/bin/unshare");
        assertThat(prefix).isEqualTo("/usr/bin/unshare --user --map-current-user --keep-caps -- ");
        assertThat(Files.readString(Path.of("jclaw"))).contains("userns=\"unshare --user --map-current-user --keep-caps --\"");
        assertThat(SystemdUnit.userNamespacePrefix(true, "/usr/bin/unshare")).isEmpty();
        assertThat(SystemdUnit.userNamespacePrefix(false, null)).as("no unshare: the per-child namespace chain instead").isEmpty();
    }
}
