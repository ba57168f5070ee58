package dev.jclaw.policy;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ToolPolicy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one function that decides which tools a run may use. Every caller — a run choosing the tools it
 * offers, the MCP layer choosing which servers to start, {@code /tools/invoke}, {@code tools.effective},
 * {@code jclaw tools effective} — goes through {@link #resolve}, so what is shown is what runs.
 *
 * <p>The layers, in OpenClaw 2026.9.6's order, each only narrowing the previous ones (deny always
 * wins; an allow list, when non-empty, must list the tool):
 * <ol>
 *   <li>the profile: the agent's {@code tools.profile}, else the global one, plus {@code alsoAllow}
 *       (the agent's list, else the global one); {@code full} or unset filters nothing;</li>
 *   <li>the profile of the {@code byProvider} entry for the run's model (the agent's, else the global one);</li>
 *   <li>global {@code tools.allow} (with {@code alsoAllow}) and {@code tools.deny};</li>
 *   <li>the global {@code byProvider} entry's allow and deny;</li>
 *   <li>the agent's {@code tools.allow} and {@code tools.deny};</li>
 *   <li>the agent's {@code byProvider} entry's allow and deny.</li>
 * </ol>
 * A {@code byProvider} entry is chosen by {@code provider/model}, else by provider (lower case).
 * Entries are names, case-insensitive {@code *}/{@code ?} globs, groups ({@link ToolCatalog#GROUPS}),
 * {@code bundle-mcp}/{@code group:plugins} (every MCP tool) or {@code <server>__<tool>} patterns.
 * Differences from OpenClaw: none intended; an empty {@code allow} filters nothing there too.
 */
public final class ToolPolicies {
    private ToolPolicies() {}

    /**
     * The policy for {@code agent} running {@code model}.
     *
     * @param model the run's model (its primary), or null when unknown: then no {@code byProvider} entry applies
     */
    public static EffectiveToolPolicy resolve(JClawConfig config, AgentConfig agent, ModelRef model) {
        ToolPolicy global = config.tools().policy();
        ToolPolicy own = agent.tools();
        String globalPath = global.path() != null ? global.path() : "tools";
        String agentPath = own.path() != null ? own.path() : "agents." + agent.id() + ".tools";
        ToolPolicy globalProvider = forModel(global.byProvider(), model);
        ToolPolicy agentProvider = forModel(own.byProvider(), model);
        List<EffectiveToolPolicy.Layer> layers = new ArrayList<>();
        List<String> notices = new ArrayList<>();

        ToolPolicy.Profile profile = own.profile() != null ? own.profile() : global.profile();
        String profilePath = (own.profile() != null ? agentPath : globalPath) + ".profile";
        List<EffectiveToolPolicy.Entry> profileExtra = own.alsoAllow() != null ? entries(own.alsoAllow(), agentPath + ".alsoAllow")
                : entries(global.alsoAllow(), globalPath + ".alsoAllow");
        profileLayer(layers, profile, profilePath, profileExtra);

        ToolPolicy.Profile providerProfile = agentProvider != null && agentProvider.profile() != null ? agentProvider.profile()
                : globalProvider != null ? globalProvider.profile() : null;
        if (providerProfile != null) {
            ToolPolicy from = agentProvider != null && agentProvider.profile() != null ? agentProvider : globalProvider;
            ToolPolicy extraFrom = agentProvider != null && agentProvider.alsoAllow() != null ? agentProvider : globalProvider;
            profileLayer(layers, providerProfile, pathOf(from, "byProvider") + ".profile",
                    extraFrom == null ? List.of() : entries(extraFrom.alsoAllow(), pathOf(extraFrom, "byProvider") + ".alsoAllow"));
        }

        listLayer(layers, global, globalPath);
        if (globalProvider != null) listLayer(layers, globalProvider, pathOf(globalProvider, globalPath + ".byProvider"));
        listLayer(layers, own, agentPath);
        if (agentProvider != null) listLayer(layers, agentProvider, pathOf(agentProvider, agentPath + ".byProvider"));
        settingsLayer(layers, config, model);
        // Issue 12 adds the sandbox's layer (tools.sandbox.tools) here, for sessions that run sandboxed.

        for (EffectiveToolPolicy.Layer layer : layers) {
            List<EffectiveToolPolicy.Entry> all = new ArrayList<>(layer.deny());
            if (layer.allow() != null) all.addAll(layer.allow());
            for (EffectiveToolPolicy.Entry entry : all) {
                String n = entry.normalized();
                if (ToolCatalog.isGroup(n) && !n.equals(ToolCatalog.GROUP_PLUGINS) && !ToolCatalog.GROUPS.containsKey(n)) {
                    notices.add(entry.quoted() + " is not a group JClaw or OpenClaw knows; it matches nothing (groups: "
                            + String.join(", ", ToolCatalog.GROUPS.keySet()) + ", " + ToolCatalog.GROUP_PLUGINS + ")");
                }
            }
        }
        return new EffectiveToolPolicy(agent.id(), model, profile == null ? "full" : profile.toString(), layers, notices);
    }

    /** The policy for {@code agent} on its own primary model. */
    public static EffectiveToolPolicy resolve(JClawConfig config, AgentConfig agent) {
        return resolve(config, agent, agent.model() == null ? null : agent.model().primary());
    }

    /**
     * Tools their own settings switch off: apply_patch off or limited to other models (checked on the run's
     * model), web_fetch or web_search switched off. (web_search without a provider stays offered: its
     * answer says what to configure.)
     */
    private static void settingsLayer(List<EffectiveToolPolicy.Layer> layers, JClawConfig config, ModelRef model) {
        List<EffectiveToolPolicy.Entry> off = new ArrayList<>();
        var applyPatch = config.tools().files().applyPatch();
        if (!applyPatch.enabled()) off.add(new EffectiveToolPolicy.Entry("apply_patch", "tools.exec.applyPatch.enabled"));
        else if (!applyPatch.allows(model)) off.add(new EffectiveToolPolicy.Entry("apply_patch", "tools.exec.applyPatch.allowModels"));
        if (!config.tools().web().fetch().enabled()) off.add(new EffectiveToolPolicy.Entry("web_fetch", "tools.web.fetch.enabled"));
        if (!config.tools().web().search().enabled()) off.add(new EffectiveToolPolicy.Entry("web_search", "tools.web.search.enabled"));
        if (!off.isEmpty()) layers.add(new EffectiveToolPolicy.Layer("the tools' own settings", "settings", null, off));
    }

    private static void profileLayer(List<EffectiveToolPolicy.Layer> layers, ToolPolicy.Profile profile, String path,
                                     List<EffectiveToolPolicy.Entry> alsoAllow) {
        if (profile == null) return;
        List<String> base = ToolCatalog.profile(profile);
        if (base == null) return; // full: no filtering
        List<EffectiveToolPolicy.Entry> allow = new ArrayList<>();
        for (String entry : base) allow.add(new EffectiveToolPolicy.Entry(entry, path + " \"" + profile + "\" →"));
        allow.addAll(alsoAllow);
        layers.add(new EffectiveToolPolicy.Layer("profile \"" + profile + "\" (" + path + ")", "profile", allow, List.of()));
    }

    /** OpenClaw's pickToolPolicy: allow (with alsoAllow) filters only when it lists something; deny always. */
    private static void listLayer(List<EffectiveToolPolicy.Layer> layers, ToolPolicy policy, String path) {
        List<EffectiveToolPolicy.Entry> allow = null;
        if (policy.allow() != null && !policy.allow().isEmpty()) {
            allow = new ArrayList<>(entries(policy.allow(), path + ".allow"));
            allow.addAll(entries(policy.alsoAllow(), path + ".alsoAllow"));
        }
        List<EffectiveToolPolicy.Entry> deny = entries(policy.deny(), path + ".deny");
        if (allow == null && deny.isEmpty()) return;
        layers.add(new EffectiveToolPolicy.Layer(path + ".allow", "allowlist", allow, deny));
    }

    private static List<EffectiveToolPolicy.Entry> entries(List<String> list, String path) {
        if (list == null) return List.of();
        List<EffectiveToolPolicy.Entry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) out.add(new EffectiveToolPolicy.Entry(list.get(i), path + "[" + i + "]"));
        return out;
    }

    /** The {@code byProvider} entry for {@code model}: {@code provider/model} first, then {@code provider}. */
    static ToolPolicy forModel(Map<String, ToolPolicy> byProvider, ModelRef model) {
        if (model == null || byProvider.isEmpty()) return null;
        String provider = model.provider().strip().toLowerCase(Locale.ROOT);
        ToolPolicy exact = byProvider.get(provider + "/" + model.model().strip().toLowerCase(Locale.ROOT));
        return exact != null ? exact : byProvider.get(provider);
    }

    private static String pathOf(ToolPolicy policy, String fallback) {
        return policy != null && policy.path() != null ? policy.path() : fallback;
    }

    /** Every core tool name the catalog knows (the groups' members), sorted: what {@code tools.effective} lists beside the built-ins. */
    public static Set<String> knownCoreTools() {
        Set<String> names = new java.util.TreeSet<>();
        ToolCatalog.GROUPS.values().forEach(names::addAll);
        return new LinkedHashSet<>(names);
    }
}
