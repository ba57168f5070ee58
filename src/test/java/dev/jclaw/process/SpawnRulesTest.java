package dev.jclaw.process;

import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a child gets (env, markers) and the clear errors when it cannot start. */
class SpawnRulesTest extends SupervisorTestSupport {

    @Test
    void aChildSeesTheAllowlistItsConfiguredEnvAndMarkersThatCannotBeOverridden() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Cohort cohort = supervisor.openCohort("env")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("env", List.of("/bin/sh", "-c", "env; echo END; read x"))
                    .withEnv(Map.of("SERVER_TOKEN", "s3cret", "JCLAW_OWNER", "someone-else", "PATH", "/usr/bin:/bin"))
                    .withOnLine(lines::add));
            List<String> env = new java.util.ArrayList<>();
            for (String line = lines.poll(5, TimeUnit.SECONDS); !"END".equals(line); line = lines.poll(5, TimeUnit.SECONDS)) {
                assertThat(line).as("env output ended early").isNotNull();
                env.add(line);
            }
            child.stop();

            assertThat(env).contains("SERVER_TOKEN=s3cret", "PATH=/usr/bin:/bin",
                    "JCLAW_OWNER=" + supervisor.instanceId(), "JCLAW_COHORT=" + cohort.id(), "JCLAW_CHILD=" + child.childId());
            List<String> names = env.stream().map(e -> e.substring(0, e.indexOf('='))).toList();
            List<String> allowed = new java.util.ArrayList<>(ProcessSupervisor.INHERITED_ENV);
            allowed.addAll(List.of("SERVER_TOKEN", "JCLAW_OWNER", "JCLAW_COHORT", "JCLAW_CHILD", "PWD", "SHLVL", "_"));
            assertThat(names).isSubsetOf(allowed);
        }
    }

    @Test
    void anUnknownCommandIsAClearErrorNamingTheChild() {
        ProcessSupervisor supervisor = supervisor();
        try (Cohort cohort = supervisor.openCohort("errors")) {
            assertThatThrownBy(() -> cohort.spawn(ChildSpec.of("ghost", List.of("no-such-mcp-server", "--stdio"))))
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("child 'ghost'")
                    .hasMessageContaining("'no-such-mcp-server' not found on PATH");
            assertThatThrownBy(() -> cohort.spawn(ChildSpec.of("elsewhere", Fixtures.chaosChild()).withCwd(Path.of("/no/such/dir"))))
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("working directory /no/such/dir does not exist");
        }
    }

    @Test
    void aClosedCohortStartsNothing() {
        ProcessSupervisor supervisor = supervisor();
        Cohort cohort = supervisor.openCohort("closed");
        cohort.close();
        assertThatThrownBy(() -> cohort.spawn(ChildSpec.of("late", Fixtures.chaosChild())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aLineWithANewlineIsRefusedBecauseItWouldBreakTheFraming() throws Exception {
        ProcessSupervisor supervisor = supervisor();
        try (Cohort cohort = supervisor.openCohort("framing")) {
            ChildProcess child = cohort.spawn(ChildSpec.of("echo", Fixtures.chaosChild()));
            assertThatThrownBy(() -> child.send("two\nlines")).isInstanceOf(IllegalArgumentException.class);
            child.stop();
            assertThatThrownBy(() -> child.send("after stop")).isInstanceOf(java.io.IOException.class).hasMessageContaining("stopped");
        }
    }
}
