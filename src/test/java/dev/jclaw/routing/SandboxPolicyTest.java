package dev.jclaw.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox decision as a table, with OpenClaw's answer next to JClaw's: they differ in exactly
 * the rows where a channel peer's turn enters the main session (the seed's dmScope "main" case).
 */
class SandboxPolicyTest {
    private static final SessionKey MAIN = SessionKey.main("ops", "main");

    @ParameterizedTest(name = "{0} {1} {2}: jclaw={3} openclaw={4}")
    @CsvSource(delimiter = '|', textBlock = """
            # mode     | session key                          | kind of turn | JClaw  | OpenClaw
            OFF        | agent:ops:main                       | MAIN         | false  | false
            OFF        | agent:ops:main                       | DIRECT       | false  | false
            OFF        | agent:ops:telegram:direct:bob        | DIRECT       | false  | false
            OFF        | agent:ops:subagent:x                 | SUBAGENT     | false  | false
            ALL        | agent:ops:main                       | MAIN         | true   | true
            ALL        | agent:ops:main                       | DIRECT       | true   | true
            ALL        | agent:ops:cron:nightly               | CRON         | true   | true
            NON_MAIN   | agent:ops:main                       | MAIN         | false  | false
            NON_MAIN   | agent:ops:main                       | CRON         | false  | false
            NON_MAIN   | agent:ops:main                       | HOOK         | false  | false
            NON_MAIN   | agent:ops:main                       | SUBAGENT     | false  | false
            NON_MAIN   | agent:ops:main                       | OTHER        | false  | false
            NON_MAIN   | agent:ops:main                       | DIRECT       | true   | false
            NON_MAIN   | agent:ops:main                       | GROUP        | true   | false
            NON_MAIN   | agent:ops:main                       | CHANNEL      | true   | false
            NON_MAIN   | agent:ops:direct:bob                 | DIRECT       | true   | true
            NON_MAIN   | agent:ops:telegram:direct:bob        | DIRECT       | true   | true
            NON_MAIN   | agent:ops:telegram:acct:direct:bob   | DIRECT       | true   | true
            NON_MAIN   | agent:ops:discord:group:g1           | GROUP        | true   | true
            NON_MAIN   | agent:ops:discord:channel:c1:thread:t | CHANNEL     | true   | true
            NON_MAIN   | agent:ops:subagent:x                 | SUBAGENT     | true   | true
            NON_MAIN   | agent:ops:cron:nightly:run:1         | CRON         | true   | true
            NON_MAIN   | agent:ops:hook:h1                    | HOOK         | true   | true
            NON_MAIN   | agent:ops:work                       | MAIN         | true   | true
            NON_MAIN   | agent:other:main                     | MAIN         | true   | true
            """)
    void decisionTable(SandboxMode mode, String key, SessionKind turnKind, boolean jclaw, boolean openclaw) {
        SessionKey sessionKey = SessionKey.parse(key);

        SandboxPolicy.Decision strict = SandboxPolicy.decide(mode, sessionKey, MAIN, turnKind, false);
        SandboxPolicy.Decision trusting = SandboxPolicy.decide(mode, sessionKey, MAIN, turnKind, true);

        assertThat(strict.sandboxed()).as("JClaw default: %s", strict.reason()).isEqualTo(jclaw);
        assertThat(trusting.sandboxed()).as("peerInMain trusted (OpenClaw): %s", trusting.reason()).isEqualTo(openclaw);
        assertThat(strict.reason()).isNotBlank();
    }

    @ParameterizedTest(name = "dmScope {0}: a DM from a peer is sandboxed under non-main")
    @CsvSource({"MAIN", "PER_PEER", "PER_CHANNEL_PEER", "PER_ACCOUNT_CHANNEL_PEER"})
    void directMessageIsSandboxedUnderNonMainWhateverTheDmScope(DmScope dmScope) {
        SessionKey dm = SessionKey.direct("ops", dmScope, "main", "telegram", "acct", "bob");

        assertThat(SandboxPolicy.decide(SandboxMode.NON_MAIN, dm, MAIN, SessionKind.DIRECT, false).sandboxed()).isTrue();
    }

    @ParameterizedTest(name = "global scope, {0} turn: sandboxed={1}")
    @CsvSource({"MAIN, false", "DIRECT, true", "GROUP, true", "CRON, false"})
    void globalScopeMainSessionFollowsTheSameRule(SessionKind kind, boolean sandboxed) {
        assertThat(SandboxPolicy.decide(SandboxMode.NON_MAIN, SessionKey.GLOBAL, SessionKey.GLOBAL, kind, false).sandboxed())
                .isEqualTo(sandboxed);
    }
}
