package dev.jclaw.config;

import dev.jclaw.routing.DmScope;
import dev.jclaw.routing.GroupScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** channels.telegram, bindings and session routing keys: the typed model, and every error named by its path. */
class ChannelsConfigTest {
    @TempDir
    Path home;

    private ConfigResult result(String text, String... env) {
        return ConfigLoader.parse(text, home.resolve("jclaw.json"), TestEnv.of(home, env));
    }

    private JClawConfig valid(String text, String... env) {
        ConfigResult result = result(text, env);
        assertThat(result).as(result.toString()).isInstanceOf(ConfigResult.Valid.class);
        return result.orElseThrow();
    }

    private List<String> errors(String text, String... env) {
        ConfigResult result = result(text, env);
        assertThat(result).as("expected errors").isInstanceOf(ConfigResult.Invalid.class);
        return ((ConfigResult.Invalid) result).errors().stream().map(ConfigProblem::toString).toList();
    }

    private List<String> warnings(String text, String... env) {
        return result(text, env).warnings().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void oneBotWithOpenClawsDefaults() {
        TelegramConfig t = valid("{channels: {telegram: {botToken: '123:abc'}}}").channels().telegram();

        assertThat(t.enabled()).isTrue();
        assertThat(t.defaultAccount()).isEqualTo("default");
        TelegramConfig.Account a = t.accounts().getFirst();
        assertThat(a.id()).isEqualTo("default");
        assertThat(a.token().reveal()).isEqualTo("123:abc");
        assertThat(a.tokenSource()).isEqualTo("botToken");
        assertThat(a.apiRoot()).isEqualTo(URI.create("https://api.telegram.org"));
        assertThat(a.access()).isEqualTo(ChannelAccess.DEFAULT);
        assertThat(a.textChunkLimit()).isEqualTo(4000);
        assertThat(a.streaming()).isEqualTo(TelegramConfig.StreamingMode.PROGRESS);
        assertThat(a.replyToMode()).isEqualTo(TelegramConfig.ReplyToMode.OFF);
        assertThat(a.mediaMaxBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(a.webhook()).isNull();
        assertThat(valid("{}").channels().telegram()).isNull();
        assertThat(valid("{channels: {telegram: {botToken: 'x'}}}").toRedactedJson()).doesNotContain("\"x\"");
    }

    @Test
    void accountsInheritTheRootAndTheirGroupsReplaceTheRootsGroups() {
        TelegramConfig t = valid("""
                {channels: {telegram: {
                  dmPolicy: 'allowlist', allowFrom: ['tg:100', 200, 'telegram:300'], replyToMode: 'first',
                  groups: {'-1001': {requireMention: false}},
                  accounts: {
                    alpha: {botToken: 'A:1'},
                    beta: {botToken: 'B:2', dmPolicy: 'open', allowFrom: ['*'], groups: {'*': {groupPolicy: 'open'}}, textChunkLimit: 9000},
                  },
                  defaultAccount: 'beta',
                }}}""").channels().telegram();

        assertThat(t.defaultAccount()).isEqualTo("beta");
        TelegramConfig.Account alpha = t.account("alpha").orElseThrow();
        assertThat(alpha.access().dmPolicy()).isEqualTo(ChannelAccess.DmPolicy.ALLOWLIST);
        assertThat(alpha.access().allowFrom()).as("prefixes dropped, numbers read").containsExactly("100", "200", "300");
        assertThat(alpha.access().groups()).containsOnlyKeys("-1001");
        assertThat(alpha.replyToMode()).isEqualTo(TelegramConfig.ReplyToMode.FIRST);
        TelegramConfig.Account beta = t.account("beta").orElseThrow();
        assertThat(beta.access().dmPolicy()).isEqualTo(ChannelAccess.DmPolicy.OPEN);
        assertThat(beta.access().groups()).as("not deep-merged").containsOnlyKeys("*");
        assertThat(beta.textChunkLimit()).as("capped below Telegram's 4096").isEqualTo(4000);
    }

    @Test
    void tokenComesFromTokenFileThenBotTokenThenTheEnvironmentForTheDefaultAccountOnly() throws Exception {
        Path file = Files.writeString(home.resolve("token.txt"), "  777:file-token\n");
        Path link = home.resolve("link.txt");
        Files.createSymbolicLink(link, file);

        TelegramConfig.Account fromFile = valid("{channels: {telegram: {tokenFile: '" + file + "', botToken: 'ignored'}}}")
                .channels().telegram().accounts().getFirst();
        assertThat(fromFile.token().reveal()).isEqualTo("777:file-token");
        assertThat(fromFile.tokenSource()).isEqualTo("tokenFile");

        TelegramConfig.Account fromEnv = valid("{channels: {telegram: {}}}", "TELEGRAM_BOT_TOKEN", "9:env")
                .channels().telegram().accounts().getFirst();
        assertThat(fromEnv.token().reveal()).isEqualTo("9:env");
        assertThat(fromEnv.tokenSource()).isEqualTo("env");

        TelegramConfig named = valid("{channels: {telegram: {accounts: {work: {}}}}}", "TELEGRAM_BOT_TOKEN", "9:env").channels().telegram();
        assertThat(named.accounts().getFirst().token()).as("the variable is the default account's only").isNull();
        assertThat(named.accounts().getFirst().tokenProblem()).contains("no bot token");

        ConfigResult symlinked = result("{channels: {telegram: {tokenFile: '" + link + "'}}}");
        assertThat(symlinked.orElseThrow().channels().telegram().accounts().getFirst().token()).isNull();
        assertThat(symlinked.warnings()).extracting(ConfigProblem::toString)
                .anyMatch(w -> w.startsWith("channels.telegram.tokenFile: ") && w.contains("symbolic link") && w.contains("stays stopped"));
    }

    @Test
    void unknownKeysAreErrorsInsideChannelsTelegramAndOpenClawsOwnKeysWarnings() {
        assertThat(errors("{channels: {telegram: {botToken: 'x', dmPolicyy: 'open'}}}"))
                .containsExactly("channels.telegram.dmPolicyy: unknown key; did you mean \"dmPolicy\"?");
        assertThat(errors("{channels: {telegram: {botToken: 'x', wobble: 1}}}"))
                .containsExactly("channels.telegram.wobble: unknown key (neither JClaw nor OpenClaw has it here)");
        assertThat(errors("{channels: {telegram: {botToken: 'x', groups: {'-1': {topics: {'7': {colour: 'red'}}}}}}}"))
                .containsExactly("channels.telegram.groups[\"-1\"].topics[\"7\"].colour: unknown key (neither JClaw nor OpenClaw has it here)");
        assertThat(errors("{channels: {telegarm: {}}}")).containsExactly("channels.telegarm: unknown channel; did you mean \"telegram\"?");
        assertThat(warnings("{channels: {telegram: {botToken: 'x', historyLimit: 20}, discord: {token: 'y'}}}"))
                .contains("channels.telegram.historyLimit: OpenClaw setting not implemented by JClaw; ignored",
                        "channels.discord: OpenClaw setting not implemented by JClaw; ignored");
    }

    @Test
    void badValuesAreNamedByTheirPath() {
        assertThat(errors("{channels: {telegram: {botToken: 'x', dmPolicy: 'pairng'}}}")).containsExactly(
                "channels.telegram.dmPolicy: expected one of \"pairing\", \"allowlist\", \"open\", \"disabled\"; got \"pairng\"");
        assertThat(errors("{channels: {telegram: {botToken: 'x', dmPolicy: 'allowlist'}}}")).containsExactly(
                "channels.telegram.dmPolicy: \"allowlist\" needs at least one sender id in allowFrom (with none, every DM is refused)");
        assertThat(errors("{channels: {telegram: {accounts: {a: {botToken: 'x', textChunkLimit: 0}}}}}"))
                .containsExactly("channels.telegram.accounts.a.textChunkLimit: expected a whole number from 1 to 2147483647, got 0");
        assertThat(errors("{channels: {telegram: {botToken: 'x', groups: {general: {}}}}}"))
                .containsExactly("channels.telegram.groups.general: group keys are Telegram chat ids (such as \"-1001234567890\") or \"*\"");
        assertThat(errors("{channels: {telegram: {botToken: 'x', webhookUrl: 'https://example.org/hook'}}}"))
                .containsExactly("channels.telegram.webhookSecret: webhook mode needs both webhookUrl and webhookSecret");
        assertThat(errors("{channels: {telegram: {botToken: 'x', webhookUrl: 'https://e.org/h', webhookSecret: 's', webhookPath: '/healthz'}}}"))
                .containsExactly("channels.telegram.webhookPath: \"/healthz\" is reserved for the listener's health check");
        assertThat(errors("{channels: {telegram: {accounts: {a: {botToken: 'same'}, b: {botToken: 'same'}}}}}"))
                .containsExactly("channels.telegram.accounts.b: account \"b\" uses the same bot token as account \"a\": Telegram lets one"
                        + " poller per bot read updates");
        assertThat(errors("{channels: {telegram: {botToken: 'x', mediaMaxMb: -1}}}"))
                .containsExactly("channels.telegram.mediaMaxMb: expected a number of megabytes above 0, got -1");
        assertThat(errors("{channels: {telegram: {botToken: 'x', defaultAccount: 'nope'}}}"))
                .containsExactly("channels.telegram.defaultAccount: \"nope\" is not one of channels.telegram.accounts (default)");
    }

    @Test
    void olderAndLooserFormsAreReadWithAWarning() {
        ConfigResult r = result("{channels: {telegram: {botToken: 'x', streaming: 'partial', apiRoot: 'http://127.0.0.1:9/bot1:abc/',"
                + " allowFrom: ['@bob', '42']}}}");
        TelegramConfig.Account a = r.orElseThrow().channels().telegram().accounts().getFirst();
        assertThat(a.streaming()).isEqualTo(TelegramConfig.StreamingMode.PARTIAL);
        assertThat(a.apiRoot()).isEqualTo(URI.create("http://127.0.0.1:9"));
        assertThat(a.access().allowFrom()).containsExactly("42");
        assertThat(r.warnings()).extracting(ConfigProblem::path)
                .contains("channels.telegram.streaming", "channels.telegram.apiRoot", "channels.telegram.allowFrom[0]");
    }

    @Test
    void forumTopicsNameConfiguredAgents() {
        String fleet = "agents: {entries: {a: {}, b: {}}}, ";
        ChannelAccess.GroupRules group = valid("{" + fleet + "channels: {telegram: {botToken: 'x', groups: {'-100': {requireMention: true,"
                + " topics: {'42': {agentId: 'B', requireMention: false}, '*': {enabled: false}}}}}}}")
                .channels().telegram().accounts().getFirst().access().groups().get("-100");
        assertThat(group.requireMention()).isTrue();
        assertThat(group.topics().get("42")).isEqualTo(new ChannelAccess.TopicRules(null, false, null, null, "b"));
        assertThat(group.topics().get("*").enabled()).isFalse();

        assertThat(errors("{" + fleet + "channels: {telegram: {botToken: 'x', groups: {'-100': {topics: {'42': {agentId: 'c'}}}}}}}"))
                .containsExactly("channels.telegram.groups[\"-100\"].topics[\"42\"].agentId: unknown agent \"c\" (configured: a, b)");
    }

    @Test
    void bindingsAreCheckedAgainstAgentsAndAccounts() {
        String base = "agents: {entries: {home: {}, work: {}}}, channels: {telegram: {accounts: {personal: {botToken: 'p'}, biz: {botToken: 'b'}}}}, ";
        JClawConfig c = valid("{" + base + """
                bindings: [
                  {agentId: 'work', match: {channel: 'telegram', accountId: 'biz', peer: {kind: 'group', id: '-100'}}, session: {groupScope: 'main'}},
                  {agentId: 'home', comment: 'everything else', match: {channel: 'Telegram', accountId: '*'}, session: {dmScope: 'per-peer'}},
                ]}""");
        assertThat(c.bindings()).containsExactly(
                new BindingConfig("work", false, new BindingConfig.Match("telegram", "biz", new BindingConfig.Peer("group", "-100"), null, null, null),
                        null, GroupScope.MAIN),
                new BindingConfig("home", false, new BindingConfig.Match("telegram", "*", null, null, null, null), DmScope.PER_PEER, null));

        assertThat(errors("{" + base + "bindings: [{agentId: 'play', match: {channel: 'telegram', accountId: 'biz'}}]}"))
                .containsExactly("bindings[0].agentId: unknown agent \"play\" (configured: home, work)");
        assertThat(errors("{" + base + "bindings: [{agentId: 'home', match: {channel: 'telegram', accountId: 'family'}}]}"))
                .containsExactly("bindings[0].match.accountId: \"family\" is not an account of channels.telegram (personal, biz)");
        assertThat(errors("{" + base + "bindings: [{agentId: 'home', match: {channel: 'telegram', accountId: '*', peer: {kind: 'dm', id: '1'}}}]}"))
                .containsExactly("bindings[0].match.peer.kind: expected \"direct\", \"group\" or \"channel\", got \"dm\"");
        assertThat(errors("{" + base + "bindings: [{agentId: 'home', match: {accountId: '*'}, priority: 1}]}")).containsExactly(
                "bindings[0].match.channel: required: the channel id, such as \"telegram\"",
                "bindings[0].priority: unknown key (neither JClaw nor OpenClaw has it here)");
        assertThat(errors("{" + base + "bindings: [{agentId: 'home', match: {channel: 'telegram', accountId: '*'}, session: {dmScope: 'per-user'}}]}"))
                .hasSize(1).allMatch(e -> e.startsWith("bindings[0].session.dmScope: expected one of \"main\", \"per-peer\""));
        assertThat(warnings("{" + base + "bindings: [{agentId: 'home', match: {channel: 'telegram'}}]}"))
                .anyMatch(w -> w.startsWith("bindings[0].match.channel: without accountId a binding matches only the account \"default\""));
        assertThat(warnings("{agents: {entries: {home: {}}}, bindings: [{agentId: 'home', match: {channel: 'telegram'}}]}"))
                .contains("bindings[0].match: channels.telegram is not configured; this binding matches nothing");
    }

    @Test
    void sessionGroupScopeAndIdentityLinks() {
        SessionConfig s = valid("{session: {dmScope: 'per-channel-peer', groupScope: 'main', identityLinks: {alice: ['telegram:111', 'Discord:222'],"
                + " bob: ['333']}}}").session();
        assertThat(s.groupScope()).isEqualTo(GroupScope.MAIN);
        assertThat(s.identityLinks()).isEqualTo(Map.of("alice", List.of("telegram:111", "Discord:222"), "bob", List.of("333")));
        assertThat(s.linkedPeer("telegram", "111")).isEqualTo("alice");
        assertThat(s.linkedPeer("discord", "222")).isEqualTo("alice");
        assertThat(s.linkedPeer("telegram", "222")).as("scoped to another channel").isNull();
        assertThat(s.linkedPeer("telegram", "333")).as("a bare id links on every channel").isEqualTo("bob");
        assertThat(valid("{}").session().groupScope()).isEqualTo(GroupScope.PER_GROUP);

        assertThat(errors("{session: {identityLinks: {alice: 'telegram:1'}}}"))
                .containsExactly("session.identityLinks.alice: expected an array of strings, got \"telegram:1\"");
        assertThat(errors("{session: {groupScope: 'per-topic'}}"))
                .containsExactly("session.groupScope: expected one of \"main\", \"per-group\"; got \"per-topic\"");
    }
}
