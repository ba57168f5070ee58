package dev.jclaw.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key grammar as a table: every kind, every dmScope, normalisation and scoping. */
class SessionKeyTest {
    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # dmScope                 | channel  | account | peer     | key
            MAIN                      | telegram | acct1   | Alice    | agent:ops:main
            PER_PEER                  | telegram | acct1   | Alice    | agent:ops:direct:alice
            PER_CHANNEL_PEER          | telegram | acct1   | Alice    | agent:ops:telegram:direct:alice
            PER_ACCOUNT_CHANNEL_PEER  | telegram | acct1   | Alice    | agent:ops:telegram:acct1:direct:alice
            PER_ACCOUNT_CHANNEL_PEER  | Telegram |         | alice    | agent:ops:telegram:default:direct:alice
            PER_CHANNEL_PEER          |          |         | alice    | agent:ops:unknown:direct:alice
            PER_PEER                  | telegram | acct1   |          | agent:ops:main
            """)
    void directMessageKeyUnderEachDmScope(DmScope scope, String channel, String account, String peer, String expected) {
        SessionKey key = SessionKey.direct("Ops", scope, "main", channel, account, peer);
        assertThat(key).hasToString(expected);
        assertThat(SessionKey.parse(expected)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # key                                           | kind     | channel  | thread | depth
            agent:main:main                                 | MAIN     |          |        | 0
            global                                          | MAIN     |          |        | 0
            agent:main:work                                 | OTHER    |          |        | 0
            agent:main:direct:alice                         | DIRECT   |          |        | 0
            agent:main:telegram:direct:alice                | DIRECT   | telegram |        | 0
            agent:main:telegram:acct:direct:alice           | DIRECT   | telegram |        | 0
            agent:main:discord:group:g1                     | GROUP    | discord  |        | 0
            agent:main:discord:channel:c1                   | CHANNEL  | discord  |        | 0
            agent:main:slack:room:r1                        | CHANNEL  | slack    |        | 0
            agent:main:discord:channel:c1:thread:t9         | CHANNEL  | discord  | t9     | 0
            agent:main:telegram:direct:alice:thread:42      | DIRECT   | telegram | 42     | 0
            agent:research:subagent:0f8fad5b                | SUBAGENT |          |        | 1
            agent:research:subagent:a:subagent:b            | SUBAGENT |          |        | 2
            agent:main:cron:nightly                         | CRON     |          |        | 0
            agent:main:cron:nightly:run:r7                  | CRON     |          |        | 0
            agent:main:hook:0f8fad5b                        | HOOK     |          |        | 0
            """)
    void everyKeyKindParsesAndRoundTrips(String text, SessionKind kind, String channel, String thread, int depth) {
        SessionKey key = SessionKey.parse(text);
        assertThat(key).hasToString(text);
        assertThat(key.kind("main")).isEqualTo(kind);
        assertThat(key.channel()).isEqualTo(channel);
        assertThat(key.threadId()).isEqualTo(thread);
        assertThat(key.subagentDepth()).isEqualTo(depth);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # written                              | normal form
            AGENT:Main:MAIN                        | agent:main:main
            '  agent:main:main  '                  | agent:main:main
            agent:main::telegram::direct:Bob       | agent:main:telegram:direct:bob
            agent:main:dm:bob                      | agent:main:direct:bob
            agent:main:telegram:dm:bob             | agent:main:telegram:direct:bob
            agent:main:telegram:acc:dm:bob         | agent:main:telegram:acc:direct:bob
            agent:My Agent!:main                   | agent:my-agent:main
            GLOBAL                                 | global
            """)
    void keysAreNormalisedLowercaseWithDmAsDirect(String written, String normal) {
        assertThat(SessionKey.parse(written)).hasToString(normal);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL
            ''
            main
            telegram:direct:bob
            agent:main
            agent::main
            """)
    void textThatIsNotAKeyIsRefused(String text) {
        assertThat(SessionKey.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> SessionKey.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must look like agent:<agentId>:<rest>");
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # request key               | scoped to agent "ops" with main key agent:ops:home
            ''                          | agent:ops:home
            main                        | agent:ops:home
            MAIN                        | agent:ops:home
            foo                         | agent:ops:foo
            Telegram:Direct:Bob         | agent:ops:telegram:direct:bob
            agent:other:main            | agent:other:main
            global                      | global
            """)
    void requestKeysWithoutPrefixAreScopedToTheAgent(String request, String expected) {
        assertThat(SessionKey.scoped(request, "ops", SessionKey.main("ops", "home"))).hasToString(expected);
    }

    @Test
    void malformedAgentPrefixedRequestKeyIsRefusedNotScoped() {
        assertThatThrownBy(() -> SessionKey.scoped("agent:ops", "ops", SessionKey.main("ops", "main")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildersProduceTheGrammar() {
        assertThat(SessionKey.main("Ops", "")).hasToString("agent:ops:main");
        assertThat(SessionKey.main("ops", "Work")).hasToString("agent:ops:work");
        assertThat(SessionKey.group("ops", "Discord", "G1")).hasToString("agent:ops:discord:group:g1");
        assertThat(SessionKey.channel("ops", "slack", "C9")).hasToString("agent:ops:slack:channel:c9");
        assertThat(SessionKey.group("ops", "discord", "g1").withThread("T5")).hasToString("agent:ops:discord:group:g1:thread:t5");
        assertThat(SessionKey.group("ops", "discord", "g1").withThread(" ")).hasToString("agent:ops:discord:group:g1");
        assertThat(SessionKey.subagent("research", ID)).hasToString("agent:research:subagent:" + ID);
        assertThat(SessionKey.cron("ops", "nightly")).hasToString("agent:ops:cron:nightly");
        assertThat(SessionKey.cronRun("ops", "nightly", "r1")).hasToString("agent:ops:cron:nightly:run:r1");
        assertThat(SessionKey.hook("ops", ID)).hasToString("agent:ops:hook:" + ID);
        assertThat(SessionKey.parse("agent:ops:discord:group:g1:thread:t5").withoutThread()).hasToString("agent:ops:discord:group:g1");
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            main                     | main
            Research                 | research
            ' ops '                  | ops
            My Agent!                | my-agent
            --weird__id--            | weird__id
            ü                        | main
            ''                       | main
            NULL                     | main
            a_b-c                    | a_b-c
            """)
    void agentIdsNormaliseLikeOpenClaw(String raw, String normal) {
        assertThat(AgentId.normalize(raw)).isEqualTo(normal);
        assertThat(AgentId.isValid(normal)).isTrue();
    }

    @Test
    void agentIdsAreCutTo64Characters() {
        String long80 = "x".repeat(80);
        assertThat(AgentId.isValid(long80)).isFalse();
        assertThat(AgentId.normalize(long80)).hasSize(64);
        assertThat(AgentId.isValid("Bad Id!")).isFalse();
        assertThat(AgentId.isValid("Main")).as("validity ignores case").isTrue();
    }
}
