package dev.jclaw.agent;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.McpServerConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.SandboxConfig;
import dev.jclaw.mcp.McpAccess;
import dev.jclaw.policy.EffectiveToolPolicy;
import dev.jclaw.policy.ToolDecision;
import dev.jclaw.policy.ToolPolicies;
import dev.jclaw.routing.SandboxPolicy;
import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionReader;
import dev.jclaw.tools.BuiltinTools;
import dev.jclaw.tools.Tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run of an agent in a session would be offered, and why each tool is in or out: the answer of
 * {@code tools.effective} and {@code jclaw tools effective}, computed by the same function a run uses.
 *
 * @param tools    every built-in JClaw has, then every other tool name the policy vocabulary knows
 *                 (marked {@code available: false}: JClaw does not have it yet), each decided
 * @param servers  the agent's MCP servers and whether its policy reaches them (reached ones start on first use)
 * @param sandbox  whether runs of this session are sandboxed, and by which rule
 */
public record EffectiveTools(String agentId, String sessionKey, String model, String profile, List<Tool> offered,
                             List<Row> tools, List<Server> servers, List<EffectiveToolPolicy.Layer> layers,
                             List<String> notices, SandboxPolicy.Decision sandbox) {

    /** One tool's decision; {@code available} is false for a name JClaw has no tool for. */
    public record Row(ToolDecision decision, boolean available, String description) {}

    /** One MCP server and whether the policy reaches it. */
    public record Server(String name, String owner, boolean reached, String reason) {}

    /**
     * What a run of {@code agentId} in {@code sessionKey} would be offered, from the config and the
     * session's row (its model override picks the {@code byProvider} entry). Used by the gateway and,
     * on a stopped gateway's state dir, by {@code jclaw tools effective}.
     *
     * @param agentId    the agent, or null for the one the session key names, else the default agent
     * @param sessionKey the session, or null for the agent's main session
     * @throws IllegalArgumentException for an unknown agent or a malformed session key
     */
    public static EffectiveTools compute(JClawConfig config, SessionReader sessions, BuiltinTools builtins, String agentId,
                                         String sessionKey) {
        AgentConfig agent = AgentService.resolveAgent(config, RunRequest.of(agentId, "").withSessionKey(sessionKey));
        SessionKey key = AgentService.resolveSession(config, agent, sessionKey);
        return of(config, agent, key, policy(config, agent, key, sessions), builtins);
    }

    /**
     * The tool policy a run of {@code agent} in {@code key} gets: on the session's model override when it
     * has one, else on the agent's primary model (the model decides the {@code byProvider} entry).
     */
    static EffectiveToolPolicy policy(JClawConfig config, AgentConfig agent, SessionKey key, SessionReader sessions) {
        ModelRef model = agent.model() == null ? null : agent.model().primary();
        Optional<SessionEntry> entry = key == null ? Optional.empty() : sessions.get(key);
        if (entry.isPresent() && entry.get().providerOverride() != null && entry.get().modelOverride() != null) {
            model = new ModelRef(entry.get().providerOverride(), entry.get().modelOverride());
        }
        return ToolPolicies.resolve(config, agent, model);
    }

    static EffectiveTools of(JClawConfig config, AgentConfig agent, SessionKey key, EffectiveToolPolicy policy, BuiltinTools builtins) {
        List<Row> rows = new ArrayList<>();
        Map<String, Tool> have = new LinkedHashMap<>();
        for (Tool tool : builtins.all()) have.put(tool.name(), tool);
        for (Tool tool : have.values()) rows.add(new Row(policy.decide(tool.name(), ToolDecision.Source.CORE), true, tool.description()));
        for (String name : ToolPolicies.knownCoreTools()) {
            if (!have.containsKey(name)) rows.add(new Row(policy.decide(name, ToolDecision.Source.CORE), false, null));
        }
        McpAccess access = new McpAccess(policy);
        List<Server> servers = new ArrayList<>();
        for (McpServerConfig server : config.mcp().servers().values()) {
            if (agent.mcpServers().containsKey(server.name())) continue;
            servers.add(server(server, null, access));
        }
        for (McpServerConfig server : agent.mcpServers().values()) servers.add(server(server, agent.id(), access));
        List<Tool> offered = builtins.allowedBy(policy);
        SandboxConfig sandbox = agent.sandbox();
        SessionKey main = config.session().mainSessionKey(agent.id());
        SandboxPolicy.Decision sandboxed = SandboxPolicy.decide(sandbox.mode(), key, main, key.kind(config.session().mainKey()),
                sandbox.peerInMain() == SandboxConfig.PeerInMain.TRUSTED);
        return new EffectiveTools(agent.id(), key.toString(), policy.model() == null ? null : policy.model().toString(), policy.profile(),
                offered, rows, servers, policy.layers(), policy.notices(), sandboxed);
    }

    private static Server server(McpServerConfig server, String owner, McpAccess access) {
        if (!server.enabled()) return new Server(server.name(), owner, false, "disabled (enabled: false)");
        boolean reached = access.reaches(server.name());
        return new Server(server.name(), owner, reached, reached ? "reached: started on first use; its tools are decided one by one"
                : "not reached: none of its tools could pass the policy, so it is never started for this agent");
    }

    /**
     * The wire form of {@code tools.effective} (and {@code jclaw tools effective --json}): OpenClaw's shape
     * ({@code groups} of offered tools, {@code toolAccess} with each tool's status and reasons) plus
     * JClaw's detail ({@code layers}, {@code mcpServers}, {@code sandbox}).
     */
    public Map<String, Object> toWire() {
        EffectiveTools effective = this;
        List<Map<String, Object>> offered = new ArrayList<>();
        for (Tool tool : effective.offered()) {
            offered.add(map("id", tool.name(), "label", tool.name(), "description", tool.description(),
                    "rawDescription", tool.description(), "source", "core"));
        }
        List<Map<String, Object>> access = new ArrayList<>();
        for (EffectiveTools.Row row : effective.tools()) {
            var d = row.decision();
            String status = !row.available() ? (d.allowed() ? "unavailable" : "excluded") : d.allowed() ? "allowed" : "excluded";
            access.add(map("id", d.tool(), "status", status, "available", row.available(), "allowed", d.allowed(),
                    "reasons", List.of(map("kind", d.kind(), "label", d.reason()))));
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (EffectiveToolPolicy.Layer layer : effective.layers()) {
            layers.add(map("name", layer.name(), "kind", layer.kind(),
                    "allow", layer.allow() == null ? null : layer.allow().stream().map(e -> e.path() + " " + e.raw()).toList(),
                    "deny", layer.deny().stream().map(e -> e.path() + " " + e.raw()).toList()));
        }
        List<Map<String, Object>> notices = new ArrayList<>();
        for (int i = 0; i < effective.notices().size(); i++) {
            notices.add(map("id", "policy-" + i, "severity", "warning", "message", effective.notices().get(i)));
        }
        List<Map<String, Object>> servers = new ArrayList<>();
        for (EffectiveTools.Server s : effective.servers()) {
            servers.add(map("name", s.name(), "owner", s.owner(), "reached", s.reached(), "reason", s.reason()));
        }
        return map("agentId", effective.agentId(), "sessionKey", effective.sessionKey(), "model", effective.model(),
                "profile", effective.profile(),
                "groups", List.of(map("id", "core", "label", "Built-in tools", "source", "core", "tools", offered)),
                "notices", notices,
                "toolAccess", map("checked", "live-session", "tools", access),
                "layers", layers, "mcpServers", servers,
                "sandbox", map("sandboxed", effective.sandbox().sandboxed(), "reason", effective.sandbox().reason()));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }
}
