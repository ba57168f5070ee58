package dev.jclaw.config;

import dev.jclaw.routing.DmScope;
import dev.jclaw.routing.SandboxMode;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the typed model holds for representative files: defaults, layouts, inheritance, overrides. */
class ConfigModelTest {
    @TempDir
    Path home;

    private ConfigResult.Valid load(String resource, String... env) {
        ConfigResult result = ConfigLoader.load(Fixtures.resource(resource), TestEnv.of(home, env));
        assertThat(result).as(result.toString()).isInstanceOf(ConfigResult.Valid.class);
        return (ConfigResult.Valid) result;
    }

    private JClawConfig parse(String text, String... env) {
        return ConfigLoader.parse(text, home.resolve("jclaw.json"), TestEnv.of(home, env)).orElseThrow();
    }

    @Test
    void expandedExampleMapsEveryReadSectionToTheTypedModel() {
        JClawConfig c = load("config/openclaw-docs/03-expanded.json5").config();

        assertThat(c.agents()).extracting(AgentConfig::id).containsExactly("main", "quick");
        assertThat(c.defaultAgentId()).isEqualTo("main");
        AgentConfig main = c.agent("main").orElseThrow();
        assertThat(main.workspace()).isEqualTo(home.resolve("claw/workspace"));
        assertThat(main.identity()).isEqualTo(new Identity("Otto", "🦦"));
        assertThat(main.model().primary()).hasToString("anthropic/claude-sonnet-4-6");
        assertThat(main.model().fallbacks()).extracting(ModelRef::toString)
                .containsExactly("anthropic/claude-opus-4-6", "openai/gpt-5.4");
        assertThat(main.sandbox()).isEqualTo(new SandboxConfig(SandboxMode.NON_MAIN, SandboxConfig.Scope.SESSION,
                SandboxConfig.WorkspaceAccess.NONE, SandboxConfig.PeerInMain.SANDBOXED));
        AgentConfig quick = c.agent("quick").orElseThrow();
        assertThat(quick.workspace()).as("a non-default agent nests under defaults.workspace").isEqualTo(home.resolve("claw/workspace/quick"));
        assertThat(quick.model()).as("the alias resolves").isEqualTo(new ModelSelection(new ModelRef("anthropic", "claude-sonnet-4-6"), List.of()));
        assertThat(c.maxConcurrent()).isEqualTo(3);
        assertThat(c.envVars()).containsEntry("GROQ_API_KEY", Secret.of("gsk-test"));
        assertThat(c.session().dmScope()).isEqualTo(DmScope.PER_CHANNEL_PEER);
        assertThat(c.session().reset()).isEqualTo(new SessionConfig.Reset(SessionConfig.ResetMode.DAILY, 5, 90));
        assertThat(c.tools().policy()).usingRecursiveComparison().ignoringFields("path")
                .isEqualTo(new ToolPolicy(null, List.of("exec", "read", "write", "edit"), null, List.of("browser")));
        assertThat(c.tools().policy().path()).isEqualTo("tools");
        assertThat(c.gateway()).isEqualTo(new GatewayConfig(18800, GatewayConfig.Bind.LOOPBACK, null,
                new GatewayConfig.Auth(GatewayConfig.AuthMode.TOKEN, Secret.of("gw-token"), null)));
        ProviderConfig proxy = c.providers().get("custom-proxy");
        assertThat(proxy.baseUrl()).isEqualTo(URI.create("http://localhost:4100/v1"));
        assertThat(proxy.api()).isEqualTo(ProviderConfig.Api.OPENAI_COMPLETIONS);
        assertThat(proxy.apiKey().reveal()).isEqualTo("PROXY_KEY");
        assertThat(proxy.headers()).containsEntry("X-Region", Secret.of("eu-central"));
        assertThat(proxy.models()).containsExactly(new ProviderConfig.ModelDefinition("qwen-7b", 32768, 4096));
    }

    @Test
    void openClawKeysJClawDoesNotImplementAreOneWarningEachAndNeverAnError() {
        List<ConfigProblem> warnings = load("config/openclaw-docs/03-expanded.json5").warnings();

        assertThat(warnings).extracting(ConfigProblem::path).contains("channels.slack", "hooks", "memory", "auth", "skills",
                "session.store", "agents.defaults.heartbeat", "agents.entries.main.groupChat", "tools.exec.timeoutSeconds",
                "models.mode", "models.providers.custom-proxy.authHeader", "gateway.controlUi",
                "agents.defaults.sandbox.mode", "session.reset.mode"); // read and checked, not acted on yet
        assertThat(warnings).extracting(ConfigProblem::path).as("one warning per ignored key, none for what is inside it")
                .doesNotHaveDuplicates().noneMatch(path -> path.startsWith("channels.slack."));
        assertThat(warnings).allMatch(w -> w.message().equals("OpenClaw setting not implemented by JClaw; ignored"));
    }

    @Test
    void substitutionOnlyTouchesSectionsJClawReads() {
        // memory.search.remote.apiKey references ${GEMINI_API_KEY}, unset here: ignored, not an error
        assertThat(load("config/openclaw-docs/03-expanded.json5").config()).isNotNull();
    }

    @Test
    void seedFleetHasItsAgentsServersAndSessionToolSettings() {
        JClawConfig c = load("config/reference/seed-fleet.json5").config();

        assertThat(c.agents()).hasSize(9);
        assertThat(c.defaultAgent().map(AgentConfig::id)).hasValue("main");
        assertThat(c.subagentMaxConcurrent()).isEqualTo(8);
        assertThat(c.tools().agentToAgent()).isEqualTo(new ToolsConfig.AgentToAgent(true, List.of("*")));
        assertThat(c.tools().agentToAgent().permits("writer", "coder")).isTrue();
        assertThat(c.tools().sessionsVisibility()).isEqualTo(ToolsConfig.Visibility.ALL);
        assertThat(c.session().maxPingPongTurns()).isEqualTo(3);
        assertThat(c.session().reset()).isEqualTo(new SessionConfig.Reset(SessionConfig.ResetMode.IDLE, 4, 120));
        assertThat(c.gateway().auth().token()).isEqualTo(Secret.of("gw-from-env"));

        Map<String, McpServerConfig> servers = c.mcp().servers();
        assertThat(servers.keySet()).containsExactly("everything", "memory", "remote", "legacy", "filtered");
        assertThat(c.mcp().sessionIdleTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(servers.get("everything").transport()).isEqualTo(McpServerConfig.Transport.STDIO);
        assertThat(servers.get("everything").scope()).isEqualTo(McpServerConfig.Scope.GATEWAY);
        assertThat(servers.get("everything").connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(servers.get("memory").env()).containsEntry("MEMORY_FILE", Secret.of("/tmp/m.json"));
        assertThat(servers.get("remote").transport()).isEqualTo(McpServerConfig.Transport.STREAMABLE_HTTP);
        assertThat(servers.get("remote").headers().get("Authorization").reveal()).isEqualTo("Bearer mcp-secret");
        assertThat(servers.get("legacy").transport()).isEqualTo(McpServerConfig.Transport.SSE);
        assertThat(servers.get("legacy").requestTimeout()).isEqualTo(Duration.ofSeconds(20));
        McpServerConfig filtered = servers.get("filtered");
        assertThat(filtered.enabled()).isFalse();
        assertThat(filtered.cwd()).isEqualTo(Path.of("/srv/mcp"));
        assertThat(filtered.toolFilter().exposes("read_file")).isTrue();
        assertThat(filtered.toolFilter().exposes("read_secret")).isFalse();
        assertThat(filtered.toolFilter().exposes("write_file")).isFalse();
        assertThat(new McpServerConfig.ToolFilter(List.of("get_?"), List.of()).exposes("get_a")).isTrue();
        assertThat(new McpServerConfig.ToolFilter(List.of("get_?"), List.of()).exposes("get_ab")).isFalse();
        assertThat(new ToolsConfig.AgentToAgent(true, List.of("res*")).permits("research", "Reserve")).as("case-insensitive").isTrue();
        assertThat(new ToolsConfig.AgentToAgent(true, List.of("res*")).permits("research", "ops")).isFalse();
        assertThat(new ToolsConfig.AgentToAgent(false, List.of()).permits("a", "b")).isFalse();
        assertThat(c.mcp().maxRuntimes()).isEqualTo(256);
        assertThat(c.mcp().maxProcesses()).isEqualTo(512);

        AgentConfig research = c.agent("research").orElseThrow();
        assertThat(research.model().primary()).hasToString("openai/gpt-5.4");
        assertThat(c.agent("writer").orElseThrow().model().primary()).as("inherited").hasToString("anthropic/claude-sonnet-4-6");
        assertThat(c.agent("ops").orElseThrow().tools()).usingRecursiveComparison().ignoringFields("path")
                .isEqualTo(new ToolPolicy(ToolPolicy.Profile.MINIMAL, null, null, List.of("bundle-mcp")));
        SubagentConfig support = c.agent("support").orElseThrow().subagents();
        assertThat(support.allowAgents()).containsExactly("research");
        assertThat(support.allows("support", "research")).isTrue();
        assertThat(support.allows("support", "support")).as("itself always").isTrue();
        assertThat(support.allows("support", "writer")).isFalse();
        assertThat(c.agent("writer").orElseThrow().subagents().allows("writer", "anyone")).as("[\"*\"]").isTrue();
        assertThat(c.agent("writer").orElseThrow().subagents())
                .isEqualTo(new SubagentConfig(List.of("*"), 8, 2, 5, null));
        assertThat(c.agent("scribe").orElseThrow().sandbox()).isEqualTo(new SandboxConfig(SandboxMode.ALL,
                SandboxConfig.Scope.SESSION, SandboxConfig.WorkspaceAccess.RO, SandboxConfig.PeerInMain.SANDBOXED));
        assertThat(c.agent("writer").orElseThrow().workspace()).isEqualTo(home.resolve("state/workspace-writer"));
        assertThat(c.agent("main").orElseThrow().workspace()).isEqualTo(home.resolve("state/workspace"));
    }

    @Test
    void keyedLayoutNormalisesIdsAndGivesPerAgentServersAgentScope() {
        JClawConfig c = load("config/reference/agents-keyed.json5").config();

        assertThat(c.agents()).extracting(AgentConfig::id).containsExactly("alpha", "beta");
        assertThat(c.defaultAgentId()).isEqualTo("alpha");
        AgentConfig alpha = c.agent("ALPHA").orElseThrow();
        assertThat(alpha.workspace()).isEqualTo(Path.of("/srv/claw"));
        assertThat(alpha.mcpServers().get("notes").scope()).isEqualTo(McpServerConfig.Scope.SESSION);
        assertThat(alpha.sandbox().mode()).isEqualTo(SandboxMode.NON_MAIN);
        AgentConfig beta = c.agent("beta").orElseThrow();
        assertThat(beta.workspace()).isEqualTo(Path.of("/srv/claw/beta"));
        assertThat(beta.sandbox()).isEqualTo(new SandboxConfig(SandboxMode.OFF, SandboxConfig.Scope.AGENT,
                SandboxConfig.WorkspaceAccess.NONE, SandboxConfig.PeerInMain.TRUSTED));
        assertThat(beta.subagents().maxConcurrent()).isEqualTo(2);
        assertThat(c.mcp().servers().get("fs").scope()).isEqualTo(McpServerConfig.Scope.GATEWAY);
        assertThat(c.mcp().maxRuntimes()).isEqualTo(64);
        assertThat(c.mcp().maxProcesses()).isEqualTo(128);

        JClawConfig perAgentDefault = parse("{agents: {entries: {a: {mcp: {servers: {x: {command: 'x'}}}}}}}");
        assertThat(perAgentDefault.agents().getFirst().mcpServers().get("x").scope()).isEqualTo(McpServerConfig.Scope.AGENT);
    }

    @Test
    void explicitOwnershipFleetHasNoDefaultAgent() {
        ConfigResult.Valid result = load("config/openclaw-docs/11-multi-agent-explicit.json5");

        assertThat(result.config().defaultAgentId()).isNull();
        assertThat(result.config().defaultAgent()).isEmpty();
        assertThat(result.config().agents()).extracting(AgentConfig::isDefault).containsOnly(false);
        assertThat(result.warnings()).extracting(ConfigProblem::path).contains("bindings[0].match", "talk", "agents.defaults.systemAgent");
        assertThat(result.config().bindings()).extracting(BindingConfig::agentId).containsExactly("home", "work");
    }

    @Test
    void defaultAgentRulesOfBothLayouts() {
        assertThat(parse("{}").agents()).extracting(AgentConfig::id).containsExactly("main");
        assertThat(parse("{}").defaultAgentId()).isEqualTo("main");
        assertThat(parse("{agents: {list: []}}").defaultAgentId()).as("an empty roster is no roster").isEqualTo("main");
        assertThat(parse("{agents: {list: [{id: 'a'}, {id: 'b'}]}}").defaultAgentId()).as("2026.4: first entry").isEqualTo("a");
        assertThat(parse("{agents: {list: [{id: 'a'}, {id: 'b', default: true}]}}").defaultAgentId()).isEqualTo("b");
        assertThat(parse("{agents: {entries: {a: {}, b: {default: true}}}}").defaultAgentId()).as("2026.9: the marked one").isEqualTo("b");
        assertThat(parse("{agents: {entries: {solo: {}}}}").defaultAgentId()).as("2026.9: the sole one").isEqualTo("solo");
        assertThat(parse("{agents: {ownership: 'explicit', entries: {solo: {}}}}").defaultAgentId()).isEqualTo("solo");
        assertThat(parse("{agents: {ownership: 'explicit', entries: {a: {default: true}, b: {}}}}").defaultAgentId())
                .as("explicit ownership ignores markers").isNull();

        ConfigResult several = ConfigLoader.parse("{agents: {entries: {a: {}, b: {}}}}", home.resolve("x.json"), TestEnv.of(home));
        assertThat(((ConfigResult.Valid) several).config().defaultAgentId()).isNull();
        assertThat(several.warnings()).extracting(ConfigProblem::toString)
                .containsExactly("agents.entries: several agents and none marked default: requests must name their agent");
        ConfigResult twoMarked = ConfigLoader.parse("{agents: {list: [{id: 'a', default: true}, {id: 'b', default: true}]}}",
                home.resolve("x.json"), TestEnv.of(home));
        assertThat(((ConfigResult.Valid) twoMarked).config().defaultAgentId()).isEqualTo("a");
        assertThat(twoMarked.warnings()).hasSize(1);
    }

    @Test
    void envVarsAreUsableInSubstitutionAndTheProcessEnvironmentWins() {
        JClawConfig fromFile = load("config/reference/lan-password.json5").config();
        assertThat(fromFile.providers().get("vllm").baseUrl()).isEqualTo(URI.create("http://10.0.0.5:8000/v1"));

        JClawConfig fromProcess = load("config/reference/lan-password.json5", "MODEL_HOST", "http://gpu:9000").config();
        assertThat(fromProcess.providers().get("vllm").baseUrl()).isEqualTo(URI.create("http://gpu:9000/v1"));
        assertThat(fromProcess.envVars().get("MODEL_HOST")).as("the file's value is what children get where the process has none")
                .isEqualTo(Secret.of("http://10.0.0.5:8000"));
    }

    @Test
    void escapedReferenceStaysLiteralAndLowercaseNamesAreNotReferences() {
        JClawConfig c = parse("{agents: {list: [{id: 'a', name: '$${HOME} and ${lower}'}]}}");
        assertThat(c.agents().getFirst().name()).isEqualTo("${HOME} and ${lower}");
    }

    @Test
    void lanBindWithPasswordAndGlobalScope() {
        JClawConfig c = load("config/reference/lan-password.json5").config();
        assertThat(c.gateway().bind()).isEqualTo(GatewayConfig.Bind.LAN);
        assertThat(c.gateway().auth().mode()).isEqualTo(GatewayConfig.AuthMode.PASSWORD);
        assertThat(c.session().scope()).isEqualTo(SessionConfig.Scope.GLOBAL);
        assertThat(c.session().mainSessionKey("main")).hasToString("global");
        assertThat(c.session().reset()).as("a reset without mode is daily").isEqualTo(new SessionConfig.Reset(SessionConfig.ResetMode.DAILY, 6, null));
    }

    @Test
    void gatewayPortAndTokenFromTheEnvironment() {
        JClawConfig c = parse("{gateway: {port: 19000}}", "OPENCLAW_GATEWAY_PORT", "19100", "OPENCLAW_GATEWAY_TOKEN", "t");
        assertThat(c.gateway().port()).isEqualTo(19100);
        assertThat(c.gateway().auth()).isEqualTo(new GatewayConfig.Auth(GatewayConfig.AuthMode.TOKEN, Secret.of("t"), null));
        assertThat(parse("{}").gateway()).isEqualTo(GatewayConfig.DEFAULT);

        ConfigResult bad = ConfigLoader.parse("{}", home.resolve("x.json"), TestEnv.of(home, "JCLAW_GATEWAY_PORT", "http"));
        assertThat(((ConfigResult.Invalid) bad).errors()).extracting(ConfigProblem::toString)
                .containsExactly("gateway.port: environment variable JCLAW_GATEWAY_PORT must be a port from 1 to 65535, got \"http\"");
    }

    @Test
    void secretsNeverAppearInRedactedJsonOrInToString() {
        JClawConfig c = load("config/reference/seed-fleet.json5").config();
        String json = c.toRedactedJson();

        assertThat(json).doesNotContain("gw-from-env", "mcp-secret", "/tmp/m.json").contains("<redacted>")
                .contains("\"transport\" : \"streamable-http\"").contains("\"connectionTimeout\" : 5000");
        assertThat(c.toString()).doesNotContain("gw-from-env", "mcp-secret");
    }

    @Test
    void providerWithAnApiJClawDoesNotSpeakIsLeftOutWithAWarning() {
        ConfigResult result = ConfigLoader.parse("{models: {providers: {g: {api: 'google-generative-ai'}, o: {api: 'ollama'}}}}",
                home.resolve("x.json"), TestEnv.of(home));
        assertThat(result.orElseThrow().providers().keySet()).containsExactly("o");
        assertThat(result.warnings()).extracting(ConfigProblem::toString)
                .containsExactly("models.providers.g.api: \"google-generative-ai\" is not spoken by JClaw; provider \"g\" is unavailable");
    }

    @Test
    void olderWorkingDirectoryNameOfCwdIsRead() {
        JClawConfig c = parse("{mcp: {servers: {x: {command: 'x', workingDirectory: 'srv'}}}}");
        assertThat(c.mcp().servers().get("x").cwd()).as("relative to the config's folder").isEqualTo(home.resolve("srv"));
    }

    @Test
    void json5SyntaxOfConfigFilesIsAccepted() {
        JClawConfig c = parse("""
                // line comment
                { /* block comment */
                  'agents': { list: [ { id: 'a', name: "A", }, ], },
                  gateway: { port: +18790, },
                  mcp: { servers: { x: { command: 'x', connectionTimeoutMs: 1500., } } },
                }
                """);
        assertThat(c.gateway().port()).isEqualTo(18790);
        assertThat(c.mcp().servers().get("x").connectionTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void bookkeepingThatOpenClawWritesIntoItsFileIsAcceptedSilently() {
        ConfigResult result = ConfigLoader.parse("{$schema: 'https://x/schema.json', meta: {lastTouchedVersion: '2026.9.6'}, "
                + "wizard: {lastRunAt: '2026-01-01'}}", home.resolve("x.json"), TestEnv.of(home));
        assertThat(result.warnings()).isEmpty();
        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    }

    @Test
    void unknownKeyFarFromAnyJClawKeyIsAWarningNotAnError() {
        ConfigResult result = ConfigLoader.parse("{gateway: {somethingNew: 1}}", home.resolve("x.json"), TestEnv.of(home));
        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        assertThat(result.warnings()).extracting(ConfigProblem::toString).containsExactly("gateway.somethingNew: unknown key; ignored");
    }
}
