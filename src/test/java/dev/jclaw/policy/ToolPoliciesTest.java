package dev.jclaw.policy;

import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigProblem;
import dev.jclaw.config.ConfigResult;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jclaw.policy.ToolDecision.Source.CORE;
import static dev.jclaw.policy.ToolDecision.Source.MCP;
import static org.assertj.core.api.Assertions.assertThat;

/** The one policy function, layer by layer, against configs as OpenClaw users write them. */
class ToolPoliciesTest {
    @TempDir
    Path dir;

    private JClawConfig config(String tools, String agentTools) {
        String json = """
                {
                  tools: { %s },
                  agents: { list: [ { id: "main", model: "openai/gpt-5", tools: { %s } }, { id: "other" } ] },
                }
                """.formatted(tools, agentTools);
        return ConfigLoader.parse(json, dir.resolve("openclaw.json"), Map.of("HOME", dir.toString())).orElseThrow();
    }

    private EffectiveToolPolicy policy(String tools, String agentTools) {
        JClawConfig c = config(tools, agentTools);
        return ToolPolicies.resolve(c, c.agent("main").orElseThrow());
    }

    @Test
    void unsetPolicyOffersEverything() {
        EffectiveToolPolicy p = policy("", "");
        assertThat(p.profile()).isEqualTo("full");
        assertThat(p.layers()).isEmpty();
        for (String tool : List.of("exec", "process", "read", "web_fetch", "sessions_spawn")) assertThat(p.allows(tool, CORE)).isTrue();
        assertThat(p.allows("fs__read_file", MCP)).isTrue();
        assertThat(p.decide("exec", CORE).reason()).contains("no profile, allow list or deny entry");
    }

    @Test
    void profilesAreOpenClawsSets() {
        EffectiveToolPolicy messaging = policy("profile: 'messaging'", "");
        assertThat(messaging.allows("sessions_send", CORE)).isTrue();
        assertThat(messaging.allows("message", CORE)).isTrue();
        assertThat(messaging.allows("sessions_spawn", CORE)).as("OpenClaw's messaging profile has no spawn").isFalse();
        ToolDecision exec = messaging.decide("exec", CORE);
        assertThat(exec.allowed()).isFalse();
        assertThat(exec.kind()).isEqualTo("profile");
        assertThat(exec.reason()).isEqualTo("profile \"messaging\" (tools.profile) does not include it");
        assertThat(messaging.allows("fs__read_file", MCP)).as("MCP tools are not in the messaging profile").isFalse();
        assertThat(messaging.reachesServer("fs")).isFalse();

        EffectiveToolPolicy coding = policy("profile: 'coding'", "");
        for (String tool : List.of("read", "write", "edit", "apply_patch", "ls", "exec", "process", "web_search", "web_fetch",
                "sessions_spawn", "session_status")) {
            assertThat(coding.allows(tool, CORE)).as(tool).isTrue();
        }
        assertThat(coding.allows("message", CORE)).isFalse();
        assertThat(coding.allows("fs__read_file", MCP)).as("bundle-mcp is part of coding").isTrue();
        assertThat(coding.decide("exec", CORE).reason()).isEqualTo(
                "allowed by tools.profile \"coding\" → \"group:runtime\"; nothing denies it");

        EffectiveToolPolicy minimal = policy("profile: 'minimal'", "");
        assertThat(minimal.allows("session_status", CORE)).isTrue();
        assertThat(minimal.allows("sessions_list", CORE)).isFalse();
        assertThat(policy("profile: 'full'", "").layers()).isEmpty();
    }

    @Test
    void denyWinsWithCaseInsensitiveGlobsAndAliases() {
        EffectiveToolPolicy p = policy("profile: 'coding', allow: ['exec', 'process'], deny: ['EX*']", "");
        ToolDecision exec = p.decide("exec", CORE);
        assertThat(exec.allowed()).isFalse();
        assertThat(exec.kind()).isEqualTo("deny");
        assertThat(exec.reason()).isEqualTo("denied by tools.deny[0] \"EX*\" (deny always wins)");
        assertThat(p.allows("process", CORE)).isTrue();
        assertThat(p.decide("read", CORE).reason()).isEqualTo("not in tools.allow [exec, process]");

        assertThat(policy("deny: ['bash']", "").allows("exec", CORE)).as("bash is OpenClaw's alias of exec").isFalse();
        assertThat(policy("deny: ['group:runtime']", "").allows("process", CORE)).isFalse();
    }

    @Test
    void theAgentsLayerNarrowsTheGlobalOneAndItsProfileReplacesTheGlobalProfile() {
        EffectiveToolPolicy p = policy("allow: ['read', 'exec', 'write']", "allow: ['exec', 'write'], deny: ['write']");
        assertThat(p.allows("exec", CORE)).isTrue();
        assertThat(p.decide("read", CORE).reason()).isEqualTo("not in agents.list[0].tools.allow [exec, write]");
        assertThat(p.decide("write", CORE).reason()).isEqualTo("denied by agents.list[0].tools.deny[0] \"write\" (deny always wins)");
        assertThat(p.decide("exec", CORE).reason()).isEqualTo(
                "allowed by tools.allow[1] \"exec\", then agents.list[0].tools.allow[0] \"exec\"; nothing denies it");

        EffectiveToolPolicy own = policy("profile: 'minimal', alsoAllow: ['read']", "profile: 'coding', alsoAllow: ['message']");
        assertThat(own.profile()).isEqualTo("coding");
        assertThat(own.allows("exec", CORE)).isTrue();
        assertThat(own.allows("message", CORE)).as("the agent's alsoAllow").isTrue();
        JClawConfig c = config("deny: ['exec']", "");
        assertThat(ToolPolicies.resolve(c, c.agent("other").orElseThrow()).allows("exec", CORE)).as("global deny reaches every agent").isFalse();
    }

    @Test
    void allowOfWriteReachesApplyPatchButDenyOfWriteDoesNot() {
        assertThat(policy("allow: ['write']", "").allows("apply_patch", CORE)).isTrue();
        assertThat(policy("deny: ['write']", "").allows("apply_patch", CORE)).isTrue();
        assertThat(policy("deny: ['write']", "").allows("write", CORE)).isFalse();
    }

    @Test
    void anEmptyAllowListFiltersNothingAsInOpenClaw() {
        assertThat(policy("allow: []", "").allows("exec", CORE)).isTrue();
        assertThat(policy("profile: 'minimal', alsoAllow: ['exec']", "").allows("exec", CORE)).isTrue();
    }

    @Test
    void byProviderAppliesForTheRunsModelExactModelFirst() {
        JClawConfig c = config("""
                byProvider: { OpenAI: { deny: ['exec'] }, 'openai/gpt-5-mini': { profile: 'minimal' } }""", "");
        var main = c.agent("main").orElseThrow();
        EffectiveToolPolicy onGpt5 = ToolPolicies.resolve(c, main, new ModelRef("openai", "gpt-5"));
        assertThat(onGpt5.decide("exec", CORE).reason()).isEqualTo("denied by tools.byProvider.OpenAI.deny[0] \"exec\" (deny always wins)");
        assertThat(onGpt5.allows("read", CORE)).isTrue();
        EffectiveToolPolicy onMini = ToolPolicies.resolve(c, main, new ModelRef("openai", "gpt-5-mini"));
        assertThat(onMini.decide("exec", CORE).kind()).as("the provider/model entry, not the provider one").isEqualTo("profile");
        assertThat(onMini.allows("session_status", CORE)).isTrue();
        assertThat(onMini.allows("read", CORE)).isFalse();
        assertThat(onMini.decide("read", CORE).reason()).contains("profile \"minimal\" (tools.byProvider[\"openai/gpt-5-mini\"].profile)");
        assertThat(ToolPolicies.resolve(c, main, new ModelRef("anthropic", "claude")).allows("exec", CORE)).isTrue();
        assertThat(ToolPolicies.resolve(c, main).allows("exec", CORE)).as("the agent's own primary model is openai/gpt-5").isFalse();
    }

    @Test
    void mcpServersAreReachedOnlyWhenOneOfTheirToolsCouldPass() {
        EffectiveToolPolicy denyFs = policy("deny: ['fs__*']", "");
        assertThat(denyFs.reachesServer("fs")).isFalse();
        assertThat(denyFs.reachesServer("memory")).isTrue();
        EffectiveToolPolicy one = policy("allow: ['read', 'fs__read_*'], deny: ['fs__read_secret']", "");
        assertThat(one.reachesServer("fs")).isTrue();
        assertThat(one.reachesServer("memory")).isFalse();
        assertThat(one.allows("fs__read_file", MCP)).isTrue();
        assertThat(one.allows("fs__read_secret", MCP)).isFalse();
        assertThat(one.allows("fs__write_file", MCP)).isFalse();
        assertThat(policy("deny: ['bundle-mcp']", "").reachesServer("fs")).isFalse();
        assertThat(policy("allow: ['group:plugins']", "").reachesServer("fs")).isTrue();
        assertThat(policy("allow: ['group:fs']", "").reachesServer("fs")).as("a core group holds no MCP tool").isFalse();
    }

    @Test
    void unknownGroupsAreReportedAsMatchingNothing() {
        EffectiveToolPolicy p = policy("deny: ['group:filesystem']", "");
        assertThat(p.allows("read", CORE)).isTrue();
        assertThat(p.notices()).singleElement().asString().contains("tools.deny[0] \"group:filesystem\" is not a group");
    }

    @Test
    void theToolsSectionsAreValidatedStrictlyWithTheirPaths() {
        ConfigResult result = ConfigLoader.parse("""
                {
                  tools: { profile: 'coder', allow: ['a'], alsoAllow: ['b'], denny: ['x'], loopDetection: { enabled: true }, colour: 'red',
                           byProvider: { openai: { profile: 'full', nope: 1 }, OPENAI: {} } },
                  agents: { list: [ { id: "main", tools: { deny: 'exec' } } ] },
                }
                """, dir.resolve("openclaw.json"), Map.of("HOME", dir.toString()));
        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        List<String> errors = ((ConfigResult.Invalid) result).errors().stream().map(ConfigProblem::toString).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("tools.profile: expected one of \"minimal\", \"coding\""));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("tools.alsoAllow: cannot be set together with allow"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("tools.denny: unknown key; did you mean \"deny\"?"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("tools.colour: unknown key (neither JClaw nor OpenClaw has it here)"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("tools.byProvider.openai.nope: unknown key"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("tools.byProvider.OPENAI: the same provider as tools.byProvider.openai"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("agents.list[0].tools.deny: expected an array of strings"));
        assertThat(((ConfigResult.Invalid) result).warnings().stream().map(ConfigProblem::toString))
                .anySatisfy(w -> assertThat(w).startsWith("tools.loopDetection: OpenClaw setting not implemented"));
    }
}
