package dev.jclaw.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime-policy key: a conversation folded into the main session keeps a key of its own for the sandbox. */
class TurnOriginTest {
    private static final SessionKey MAIN = SessionKey.main("ops", "main");

    @Test
    void aDmFoldedIntoMainIsPoliciedAsItsPerAccountKey() {
        SessionKey own = SessionKey.direct("ops", DmScope.PER_ACCOUNT_CHANNEL_PEER, "main", "telegram", "default", "4242");
        TurnOrigin origin = TurnOrigin.channelPeer(SessionKind.DIRECT, "telegram", "default", "4242", MAIN, MAIN, own);

        assertThat(origin.policyKey()).hasToString("agent:ops:telegram:default:direct:4242");
        assertThat(SandboxPolicy.decide(SandboxMode.NON_MAIN, origin.policyKey(), MAIN, origin.kind(), false).sandboxed()).isTrue();
        assertThat(SandboxPolicy.decide(SandboxMode.NON_MAIN, MAIN, MAIN, origin.kind(), false).sandboxed())
                .as("the session key and the turn's kind agree with the policy key").isTrue();
    }

    @Test
    void aConversationWithAKeyOfItsOwnIsPoliciedAsThatKey() {
        SessionKey perPeer = SessionKey.direct("ops", DmScope.PER_PEER, "main", "telegram", "default", "4242");
        SessionKey own = SessionKey.direct("ops", DmScope.PER_ACCOUNT_CHANNEL_PEER, "main", "telegram", "default", "4242");
        assertThat(TurnOrigin.channelPeer(SessionKind.DIRECT, "telegram", "default", "4242", perPeer, MAIN, own).policyKey()).isEqualTo(perPeer);

        SessionKey group = SessionKey.group("ops", "telegram", "-100");
        assertThat(TurnOrigin.channelPeer(SessionKind.GROUP, "telegram", "default", "-100", MAIN, MAIN, group).policyKey())
                .as("a group folded into main by groupScope main").isEqualTo(group);
    }

    @Test
    void anOperatorsTurnIsWhatItsKeySays() {
        TurnOrigin operator = TurnOrigin.ofSession(MAIN, "main");
        assertThat(operator.kind()).isEqualTo(SessionKind.MAIN);
        assertThat(operator.policyKey()).isEqualTo(MAIN);
        assertThatThrownBy(() -> TurnOrigin.channelPeer(SessionKind.CRON, "telegram", "a", "1", MAIN, MAIN, MAIN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
