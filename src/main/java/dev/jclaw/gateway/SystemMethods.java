package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ProviderConfig;
import dev.jclaw.gateway.Params.Kind;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code health}, {@code status}, {@code system-presence}, {@code models.list}, {@code config.get}, {@code mcp.status}. */
final class SystemMethods {
    private final Gateway gateway;

    SystemMethods(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(Methods methods) {
        methods.add("health", Peer.READ, Params.of("health").optional("probe", Kind.BOOLEAN), call -> gateway.snapshots().health());
        methods.add("status", Peer.READ, Params.of("status").optional("includeChannelSummary", Kind.BOOLEAN)
                        .optional("includeCliProjection", Kind.BOOLEAN).accepts("probe", "timeoutMs", "deep", "all", "usage"),
                call -> gateway.snapshots().status(Params.bool(call.params, "includeCliProjection", false)));
        methods.add("system-presence", Peer.READ, Params.of("system-presence"), call -> gateway.snapshots().presence());
        methods.add("models.list", Peer.READ, Params.of("models.list").optional("agentId", Kind.NON_EMPTY_STRING)
                        .optional("provider", Kind.NON_EMPTY_STRING).accepts("sessionKey", "authProfileId", "includeDetails",
                                "includeProviderCapabilities", "includeDefaultModels", "preparedOnly", "refresh", "view"),
                this::models);
        methods.add("config.get", Peer.READ, Params.of("config.get"), call -> config());
        methods.add("mcp.status", Peer.READ, Params.of("mcp.status").optional("scope", Kind.STRING), call -> {
            var engine = gateway.engine();
            String scope = Params.trimmed(call.params, "scope");
            var runtimes = engine.mcp().status().stream().filter(r -> scope == null || r.scopeKey().startsWith(scope)).toList();
            return Json.map("runtimes", runtimes, "liveRuntimes", engine.mcp().liveRuntimes(), "liveProcesses", engine.mcp().liveProcesses(),
                    "supervisor", Json.map("instanceId", engine.supervisor().instanceId(), "launchChain",
                            engine.supervisor().launchChain().id(), "liveChildren", engine.supervisor().liveChildren()));
        });
    }

    /** Models from the config: each provider's declared models, and every model an agent names. */
    private Object models(Methods.Call call) {
        JClawConfig config = gateway.engine().config();
        String onlyAgent = Params.trimmed(call.params, "agentId");
        String onlyProvider = Params.trimmed(call.params, "provider");
        if (onlyAgent != null && config.agent(onlyAgent).isEmpty()) throw GatewayError.invalid("models.list: unknown agent '" + onlyAgent + "'");
        Map<String, Map<String, Object>> models = new LinkedHashMap<>();
        for (ProviderConfig provider : config.providers().values()) {
            for (ProviderConfig.ModelDefinition m : provider.models()) {
                models.put(provider.id() + "/" + m.id(), Json.map("id", m.id(), "name", m.id(), "provider", provider.id(),
                        "contextWindow", m.contextWindow(), "maxTokens", m.maxTokens(), "api", provider.api() == null ? null : provider.api().toString(),
                        "agents", new ArrayList<String>()));
            }
        }
        for (AgentConfig agent : config.agents()) {
            if (agent.model() == null) continue;
            List<ModelRef> refs = new ArrayList<>();
            refs.add(agent.model().primary());
            refs.addAll(agent.model().fallbacks());
            for (ModelRef ref : refs) {
                if (ref == null) continue;
                Map<String, Object> row = models.computeIfAbsent(ref.provider() + "/" + ref.model(), k -> Json.map("id", ref.model(),
                        "name", ref.model(), "provider", ref.provider(), "agents", new ArrayList<String>()));
                @SuppressWarnings("unchecked") List<String> agents = (List<String>) row.get("agents");
                if (!agents.contains(agent.id())) agents.add(agent.id());
            }
        }
        List<Map<String, Object>> rows = models.values().stream()
                .filter(r -> onlyProvider == null || onlyProvider.equals(r.get("provider")))
                .filter(r -> onlyAgent == null || ((List<?>) r.get("agents")).contains(config.agent(onlyAgent).orElseThrow().id()))
                .toList();
        return Json.map("models", rows);
    }

    /** The config in effect, defaults applied, every secret replaced by {@code <redacted>}. */
    private Object config() throws Exception {
        JClawConfig config = gateway.engine().config();
        String json = config.toRedactedJson();
        JsonNode tree = Json.MAPPER.readTree(json);
        String hash = HexFormat.of().formatHex(DeviceIdentity.sha256(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return Json.map("path", config.source() == null ? null : config.source().toString(), "exists", config.source() != null,
                "valid", true, "hash", hash, "redacted", true, "config", tree);
    }
}
