package dev.jclaw.process;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A group kill must never reach the gateway's own process group, init, or the gateway itself. */
class GroupKillGuardTest {

    @Test
    void signallingTheJvmsOwnGroupIsRefused() {
        int own = Native.ownGroup();
        assertThat(own).isPositive();
        assertThatThrownBy(() -> Native.killGroup(own, Native.SIGKILL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing");
    }

    @Test
    void groupsZeroAndOneAndTheJvmItselfAreRefused() {
        assertThatThrownBy(() -> Native.killGroup(0, Native.SIGKILL)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Native.killGroup(1, Native.SIGKILL)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Native.killProcess((int) ProcessHandle.current().pid(), Native.SIGKILL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupWithNoMembersReportsNoSuchProcess() {
        // pid_max is at most 2^22, so this group cannot exist
        assertThat(Native.killGroup(4_194_304 + 7, 0)).isEqualTo(Native.SignalResult.NO_SUCH_PROCESS);
    }
}
