package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.routing.AgentId;
import dev.jclaw.routing.SandboxMode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code agents} section in either of OpenClaw's layouts, with {@code agents.defaults} applied.
 *
 * <p>Default agent: with {@code agents.list[]} (2026.4) the first entry marked {@code default: true},
 * else the first entry. With {@code agents.entries{}} (2026.9) the only entry marked default, else the
 * only entry; under {@code ownership: "explicit"} markers are ignored, and a fleet of several agents
 * has no default (requests must name their agent). No agents at all: one agent {@code main}.
 *
 * <p>Workspace when an agent sets none: the default agent gets {@code agents.defaults.workspace} (else
 * {@code <state>/workspace}); others get {@code <defaults.workspace>/<id>} (else {@code <state>/workspace-<id>}).
 */
final class AgentsBinder {
    private final ReadContext ctx;
    private final Path stateDir;

    AgentsBinder(ReadContext ctx, Path stateDir) {
        this.ctx = ctx;
        this.stateDir = stateDir;
    }

    record Result(List<AgentConfig> agents, String defaultAgentId, int maxConcurrent, int subagentMaxConcurrent) {}

    /** {@code agents.defaults}, read once and applied to every agent. */
    private record Defaults(Path workspace, ModelSelection model, SandboxConfig sandbox, SubagentConfig subagents,
                            int maxConcurrent, Map<String, ModelRef> aliases) {}

    /** An entry as written, before defaults: its own id (null when invalid) and reader. */
    private record Entry(String id, ObjectReader reader, boolean markedDefault) {}

    Result bind(ObjectReader agents) {
        ObjectReader defaultsNode = agents == null ? null : agents.object("defaults");
        Defaults defaults = readDefaults(defaultsNode);
        List<Entry> written = agents == null ? List.of() : readEntries(agents);
        List<Entry> entries = written.stream().filter(e -> e.id() != null).toList();
        for (Entry invalid : written) {
            // its id is already reported; reading its fields reports their problems too, all in one pass
            if (invalid.id() == null) readAgent(new Entry(AgentId.DEFAULT, invalid.reader(), false), false, defaults);
        }
        boolean explicitOwnership = agents != null && readOwnership(agents);
        boolean keyedLayout = agents != null && agents.has("entries");

        if (entries.isEmpty()) {
            AgentConfig main = new AgentConfig(AgentId.DEFAULT, true, null, workspace(null, AgentId.DEFAULT, true, defaults),
                    defaults.model(), Identity.NONE, defaults.sandbox(), ToolPolicy.UNSET, defaults.subagents(), Map.of());
            return new Result(List.of(main), AgentId.DEFAULT, defaults.maxConcurrent(), defaults.subagents().maxConcurrent());
        }
        String defaultId = keyedLayout ? keyedDefault(entries, explicitOwnership, agents) : listDefault(entries, agents);
        List<AgentConfig> out = new ArrayList<>();
        for (Entry entry : entries) out.add(readAgent(entry, entry.id().equals(defaultId), defaults));
        return new Result(out, defaultId, defaults.maxConcurrent(), defaults.subagents().maxConcurrent());
    }

    private static boolean readOwnership(ObjectReader agents) {
        JsonNode ownership = agents.raw("ownership");
        if (ownership == null) return false;
        if (!ownership.asText().equals("explicit")) {
            agents.error("ownership", "expected \"explicit\", got " + JsonPaths.describe(ownership));
            return false;
        }
        return true;
    }

    private List<Entry> readEntries(ObjectReader agents) {
        List<ObjectReader> list = agents.objectList("list");
        Map<String, ObjectReader> keyed = agents.objects("entries");
        if (list != null && agents.has("entries")) {
            agents.error("entries", "use either agents.list (OpenClaw 2026.4) or agents.entries (2026.9), not both");
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        if (list != null) {
            for (ObjectReader item : list) {
                String raw = item.string("id");
                if (raw == null && !item.has("id")) item.error("id", "required: every agent in agents.list needs an id");
                String id = raw == null ? null : checkId(raw, item.pathOf("id"), seen);
                entries.add(new Entry(id, item, item.bool("default", false)));
            }
        } else {
            for (Map.Entry<String, ObjectReader> item : keyed.entrySet()) {
                String id = checkId(item.getKey(), item.getValue().path, seen);
                entries.add(new Entry(id, item.getValue(), item.getValue().bool("default", false)));
            }
        }
        return entries;
    }

    /** The normalised id, or null (with an error) when invalid or already used. */
    private String checkId(String raw, String at, Map<String, String> seen) {
        if (!AgentId.isValid(raw)) {
            ctx.problems.error(at, JsonPaths.quote(raw) + " must match " + AgentId.PATTERN_TEXT);
            return null;
        }
        String id = AgentId.normalize(raw);
        String previous = seen.putIfAbsent(id, at);
        if (previous != null) {
            ctx.problems.error(at, "agent id " + JsonPaths.quote(id) + " is already used by " + previous);
            return null;
        }
        return id;
    }

    private String listDefault(List<Entry> entries, ObjectReader agents) {
        List<Entry> marked = entries.stream().filter(Entry::markedDefault).toList();
        if (marked.size() > 1) {
            agents.warn("list", "several agents are marked default; using the first, " + JsonPaths.quote(marked.getFirst().id()));
        }
        return marked.isEmpty() ? entries.getFirst().id() : marked.getFirst().id();
    }

    private String keyedDefault(List<Entry> entries, boolean explicitOwnership, ObjectReader agents) {
        List<Entry> marked = entries.stream().filter(Entry::markedDefault).toList();
        if (!explicitOwnership && marked.size() == 1) return marked.getFirst().id();
        if (entries.size() == 1) return entries.getFirst().id();
        if (!explicitOwnership) {
            agents.warn("entries", marked.isEmpty()
                    ? "several agents and none marked default: requests must name their agent"
                    : "several agents are marked default: none is used; requests must name their agent");
        }
        return null;
    }

    private Defaults readDefaults(ObjectReader d) {
        if (d == null) {
            return new Defaults(null, null, SandboxConfig.DEFAULT, SubagentConfig.DEFAULT, JClawConfig.DEFAULT_MAX_CONCURRENT, Map.of());
        }
        Map<String, ModelRef> aliases = readAliases(d);
        ModelSelection model = readModel(d, "model", aliases);
        SandboxConfig sandbox = readSandbox(d.object("sandbox"), SandboxConfig.DEFAULT);
        SubagentConfig subagents = readSubagents(d.object("subagents"), SubagentConfig.DEFAULT, aliases);
        int maxConcurrent = d.integer("maxConcurrent", 1, 1024, JClawConfig.DEFAULT_MAX_CONCURRENT);
        return new Defaults(d.path("workspace"), model, sandbox, subagents, maxConcurrent, aliases);
    }

    /** {@code agents.defaults.models}: {@code "provider/model": {alias}}, so a model may be named by its alias. */
    private Map<String, ModelRef> readAliases(ObjectReader defaults) {
        Map<String, ModelRef> aliases = new HashMap<>();
        for (Map.Entry<String, ObjectReader> entry : defaults.objects("models").entrySet()) {
            String alias = entry.getValue().string("alias");
            ModelRef ref = ModelRef.parse(entry.getKey());
            if (ref == null) {
                ctx.problems.error(entry.getValue().path, "model keys are \"provider/model\", got " + JsonPaths.quote(entry.getKey()));
            } else if (alias != null) {
                aliases.put(alias, ref);
            }
        }
        return aliases;
    }

    private AgentConfig readAgent(Entry entry, boolean isDefault, Defaults defaults) {
        ObjectReader a = entry.reader();
        ModelSelection model = readModel(a, "model", defaults.aliases());
        ObjectReader identityNode = a.object("identity");
        Identity identity = identityNode == null ? Identity.NONE
                : new Identity(identityNode.string("name"), identityNode.string("emoji"));
        ObjectReader mcp = a.object("mcp");
        return new AgentConfig(entry.id(), isDefault, a.string("name"), workspace(a.path("workspace"), entry.id(), isDefault, defaults),
                model != null ? model : defaults.model(), identity, readSandbox(a.object("sandbox"), defaults.sandbox()),
                ConfigBinder.readPolicy(a.object("tools")), readSubagents(a.object("subagents"), defaults.subagents(), defaults.aliases()),
                mcp == null ? Map.of() : McpBinder.bindAgentServers(mcp));
    }

    private Path workspace(Path own, String id, boolean isDefault, Defaults defaults) {
        if (own != null) return own;
        if (isDefault) return defaults.workspace() != null ? defaults.workspace() : stateDir.resolve("workspace");
        return defaults.workspace() != null ? defaults.workspace().resolve(id) : stateDir.resolve("workspace-" + id);
    }

    /** Each field set here replaces the inherited one. */
    private static SandboxConfig readSandbox(ObjectReader s, SandboxConfig inherited) {
        if (s == null) return inherited;
        SandboxMode mode = s.choice("mode", SandboxMode.class, inherited.mode());
        if (mode != null && mode != SandboxMode.OFF) s.warnNotImplemented("mode"); // no sandbox runs yet: docs/CONFIG.md
        return new SandboxConfig(mode,
                s.choice("scope", SandboxConfig.Scope.class, inherited.scope()),
                s.choice("workspaceAccess", SandboxConfig.WorkspaceAccess.class, inherited.workspaceAccess()),
                s.choice("peerInMain", SandboxConfig.PeerInMain.class, inherited.peerInMain()));
    }

    private SubagentConfig readSubagents(ObjectReader s, SubagentConfig inherited, Map<String, ModelRef> aliases) {
        if (s == null) return inherited;
        List<String> allow = s.strings("allowAgents");
        ModelSelection model = readModel(s, "model", aliases);
        return new SubagentConfig(allow == null ? inherited.allowAgents() : allow.stream().map(AgentsBinder::normalizeTarget).toList(),
                s.integer("maxConcurrent", 1, 1024, inherited.maxConcurrent()),
                s.integer("maxSpawnDepth", 1, 5, inherited.maxSpawnDepth()),
                s.integer("maxChildrenPerAgent", 1, 20, inherited.maxChildrenPerAgent()),
                model != null ? model : inherited.model());
    }

    private static String normalizeTarget(String id) {
        return id.equals("*") ? id : AgentId.normalize(id);
    }

    /** {@code "provider/model"}, an alias, or {@code {primary, fallbacks[]}}; null when absent or invalid. */
    private ModelSelection readModel(ObjectReader owner, String key, Map<String, ModelRef> aliases) {
        JsonNode value = owner.raw(key);
        if (value == null) return null;
        if (value.isTextual()) {
            ModelRef primary = modelRef(owner.text(value, owner.pathOf(key)), owner.pathOf(key), aliases);
            return primary == null ? null : new ModelSelection(primary, List.of());
        }
        if (!value.isObject()) {
            owner.error(key, "expected \"provider/model\" or {primary, fallbacks}, got " + JsonPaths.describe(value));
            return null;
        }
        ObjectReader selection = owner.object(key);
        String primaryText = selection.string("primary");
        if (primaryText == null) {
            if (!selection.has("primary")) selection.error("primary", "required: the model to run, as \"provider/model\"");
            selection.strings("fallbacks");
            return null;
        }
        ModelRef primary = modelRef(primaryText, selection.pathOf("primary"), aliases);
        List<String> fallbackTexts = selection.strings("fallbacks");
        List<ModelRef> fallbacks = new ArrayList<>();
        if (fallbackTexts != null) {
            for (int i = 0; i < fallbackTexts.size(); i++) {
                ModelRef ref = modelRef(fallbackTexts.get(i), JsonPaths.index(selection.pathOf("fallbacks"), i), aliases);
                if (ref != null) fallbacks.add(ref);
            }
        }
        return primary == null ? null : new ModelSelection(primary, fallbacks);
    }

    private ModelRef modelRef(String text, String at, Map<String, ModelRef> aliases) {
        if (text == null) return null;
        ModelRef alias = aliases.get(text);
        if (alias != null) return alias;
        ModelRef ref = ModelRef.parse(text);
        if (ref == null) {
            ctx.problems.error(at, "expected \"provider/model\" or an alias from agents.defaults.models, got " + JsonPaths.quote(text));
        }
        return ref;
    }
}
