package dev.jclaw.policy;

import dev.jclaw.config.Globs;
import dev.jclaw.config.ModelRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tool policy in effect for one agent on one model: a sequence of layers, each of which can only
 * narrow what the previous ones let through (OpenClaw's pipeline). A tool is offered when no layer
 * denies it and every layer with an allow list lists it. Made by {@link ToolPolicies#resolve}.
 */
public final class EffectiveToolPolicy {

    /**
     * One entry of a list as written.
     *
     * @param raw  as written in the config
     * @param path where: {@code tools.deny[2]}, or {@code tools.profile "coding"} for a profile's entries
     */
    public record Entry(String raw, String path) {
        String normalized() {
            return ToolCatalog.normalize(raw);
        }

        String quoted() {
            return path + " \"" + raw + "\"";
        }
    }

    /**
     * One filtering step.
     *
     * @param name  what it is, for people: {@code profile "coding" (tools.profile)}, {@code tools.allow/deny}
     * @param kind  {@code profile} or {@code allowlist}: what a tool missing from {@code allow} is told
     * @param allow entries of which a tool must match one, or null when this layer lets everything through
     * @param deny  entries no tool may match
     */
    public record Layer(String name, String kind, List<Entry> allow, List<Entry> deny) {
        public Layer {
            allow = allow == null ? null : List.copyOf(allow);
            deny = List.copyOf(deny);
        }
    }

    private final String agentId;
    private final ModelRef model;
    private final String profile;
    private final List<Layer> layers;
    private final List<String> notices;

    EffectiveToolPolicy(String agentId, ModelRef model, String profile, List<Layer> layers, List<String> notices) {
        this.agentId = agentId;
        this.model = model;
        this.profile = profile;
        this.layers = List.copyOf(layers);
        this.notices = List.copyOf(notices);
    }

    public String agentId() {
        return agentId;
    }

    /** The model whose {@code byProvider} entries apply, or null when the agent has none. */
    public ModelRef model() {
        return model;
    }

    /** The profile in effect ({@code full} when none is set: OpenClaw leaves core tools unfiltered then). */
    public String profile() {
        return profile;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Things a user should know about this policy: entries that match nothing, say. */
    public List<String> notices() {
        return notices;
    }

    public boolean allows(String tool, ToolDecision.Source source) {
        return decide(tool, source).allowed();
    }

    /** Whether {@code tool} is offered, and why, naming the entries involved. */
    public ToolDecision decide(String tool, ToolDecision.Source source) {
        String name = ToolCatalog.normalize(tool);
        List<String> admitted = new ArrayList<>();
        for (Layer layer : layers) {
            for (Entry entry : layer.deny()) {
                if (matches(entry.normalized(), name, source)) {
                    return new ToolDecision(tool, source, false, "deny", "denied by " + entry.quoted() + " (deny always wins)");
                }
            }
            if (layer.allow() == null) continue;
            Entry hit = null;
            for (Entry entry : layer.allow()) {
                if (allowMatches(entry.normalized(), name, source)) {
                    hit = entry;
                    break;
                }
            }
            if (hit == null) {
                return new ToolDecision(tool, source, false, layer.kind(), layer.kind().equals("profile")
                        ? layer.name() + " does not include it" : "not in " + layer.name() + " " + raw(layer.allow()));
            }
            admitted.add(hit.quoted());
        }
        String reason = admitted.isEmpty() ? "no profile, allow list or deny entry restricts it"
                : "allowed by " + String.join(", then ", admitted) + "; nothing denies it";
        return new ToolDecision(tool, source, true, "allowed", reason);
    }

    /**
     * Whether any tool of the MCP server whose tools are exposed as {@code <prefix>__<tool>} could be
     * offered. Conservative (a server reached may still have every tool filtered out); a server not
     * reached is not started for this agent.
     *
     * @param serverPrefix the sanitized server name
     */
    public boolean reachesServer(String serverPrefix) {
        String prefix = serverPrefix.toLowerCase(Locale.ROOT) + "__";
        for (Layer layer : layers) {
            for (Entry entry : layer.deny()) {
                if (coversServer(entry.normalized(), prefix)) return false;
            }
            if (layer.allow() != null && layer.allow().stream().noneMatch(e -> couldMatchServer(e.normalized(), prefix))) return false;
        }
        return true;
    }

    private static boolean allowMatches(String entry, String name, ToolDecision.Source source) {
        if (matches(entry, name, source)) return true;
        // OpenClaw: allowing "write" also allows apply_patch (denying "write" does not deny it).
        return source == ToolDecision.Source.CORE && name.equals("apply_patch") && matches(entry, "write", source);
    }

    static boolean matches(String entry, String name, ToolDecision.Source source) {
        if (entry.equals("*")) return true;
        if (entry.equals(ToolCatalog.BUNDLE_MCP) || entry.equals(ToolCatalog.GROUP_PLUGINS)) return source == ToolDecision.Source.MCP;
        if (ToolCatalog.isGroup(entry)) {
            Set<String> members = ToolCatalog.GROUPS.get(entry);
            return source == ToolDecision.Source.CORE && members != null && members.contains(name);
        }
        return Globs.matches(entry, name);
    }

    /** A deny entry that removes every tool of the server. */
    private static boolean coversServer(String entry, String prefix) {
        if (entry.equals("*") || entry.equals(ToolCatalog.BUNDLE_MCP) || entry.equals(ToolCatalog.GROUP_PLUGINS)) return true;
        int star = entry.indexOf('*');
        if (star < 0 || star != entry.length() - 1 || entry.indexOf('?') >= 0) return false;
        return prefix.startsWith(entry.substring(0, star));
    }

    /** An allow entry that could match some {@code <prefix><tool>}. */
    private static boolean couldMatchServer(String entry, String prefix) {
        if (entry.equals("*") || entry.equals(ToolCatalog.BUNDLE_MCP) || entry.equals(ToolCatalog.GROUP_PLUGINS)) return true;
        if (ToolCatalog.isGroup(entry)) return false;
        int wildcard = -1;
        for (int i = 0; i < entry.length() && wildcard < 0; i++) if (entry.charAt(i) == '*' || entry.charAt(i) == '?') wildcard = i;
        if (wildcard < 0) return entry.startsWith(prefix);
        String literal = entry.substring(0, wildcard);
        return prefix.startsWith(literal) || literal.startsWith(prefix);
    }

    private static String raw(List<Entry> entries) {
        return entries.stream().map(Entry::raw).toList().toString();
    }

    @Override
    public String toString() {
        return "EffectiveToolPolicy[" + agentId + ", profile " + profile + ", " + layers.size() + " layers]";
    }
}
