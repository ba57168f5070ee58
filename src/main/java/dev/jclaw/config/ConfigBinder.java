package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.routing.DmScope;
import dev.jclaw.routing.GroupScope;
import dev.jclaw.routing.SessionKey;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link JClawConfig} from a parsed, include-resolved config tree, applying defaults and
 * checking every rule that spans fields. Reads {@code env} first so {@code env.vars} can be used by
 * {@code ${VAR}} everywhere else.
 */
final class ConfigBinder {
    private static final List<String> PORT_VARIABLES = List.of("JCLAW_GATEWAY_PORT", "OPENCLAW_GATEWAY_PORT");
    private static final List<String> TOKEN_VARIABLES = List.of("JCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_TOKEN");
    private static final List<String> PASSWORD_VARIABLES = List.of("JCLAW_GATEWAY_PASSWORD", "OPENCLAW_GATEWAY_PASSWORD");

    private final ReadContext ctx;
    private final Path stateDir;

    ConfigBinder(ReadContext ctx, Path stateDir) {
        this.ctx = ctx;
        this.stateDir = stateDir;
    }

    /** The config, or null when any error was recorded in the context. */
    JClawConfig bind(ObjectReader root, Path source) {
        Map<String, Secret> envVars = readEnv(root.object("env"));
        AgentsBinder.Result agents = new AgentsBinder(ctx, stateDir).bind(root.object("agents"));
        Map<String, ProviderConfig> providers = ProvidersBinder.bind(root.object("models"));
        McpConfig mcp = McpBinder.bindGlobal(root.object("mcp"));
        ToolsConfig tools = readTools(root.object("tools"), root.object("plugins"));
        SessionConfig session = readSession(root.object("session"));
        GatewayConfig gateway = readGateway(root.object("gateway"), root.pathOf("gateway"));
        Set<String> agentIds = new LinkedHashSet<>();
        agents.agents().forEach(a -> agentIds.add(a.id()));
        ChannelsBinder.Result channels = new ChannelsBinder(ctx, agentIds).bind(root.object("channels"), root);
        ctx.reportUnknownKeys();
        if (ctx.problems.hasErrors()) return null;
        return new JClawConfig(source, envVars, agents.agents(), agents.defaultAgentId(), agents.maxConcurrent(),
                agents.subagentMaxConcurrent(), providers, mcp, tools, session, gateway, channels.channels(), channels.bindings());
    }

    private Map<String, Secret> readEnv(ObjectReader env) {
        if (env == null) return Map.of();
        Map<String, Secret> vars = env.secrets("vars");
        Map<String, String> plain = new LinkedHashMap<>();
        vars.forEach((name, value) -> plain.put(name, value.reveal()));
        ctx.addConfigVars(plain);
        return vars;
    }

    private ToolsConfig readTools(ObjectReader tools, ObjectReader plugins) {
        ToolsBinder acting = new ToolsBinder(ctx);
        if (tools == null) {
            return new ToolsConfig(ToolPolicy.UNSET, ToolsConfig.AgentToAgent.DISABLED, ToolsConfig.Visibility.TREE,
                    FileToolsConfig.DEFAULT, acting.web(null, plugins));
        }
        tools.strict();
        ToolPolicy policy = readPolicy(tools);
        ToolsConfig.AgentToAgent a2a = ToolsConfig.AgentToAgent.DISABLED;
        ObjectReader a2aNode = tools.object("agentToAgent");
        if (a2aNode != null) {
            a2aNode.strict();
            List<String> allow = a2aNode.strings("allow");
            a2a = new ToolsConfig.AgentToAgent(a2aNode.bool("enabled", false), allow == null ? List.of() : allow);
        }
        ObjectReader sessions = tools.object("sessions");
        ToolsConfig.Visibility visibility = sessions == null ? ToolsConfig.Visibility.TREE
                : sessions.strict().choice("visibility", ToolsConfig.Visibility.class, ToolsConfig.Visibility.TREE);
        return new ToolsConfig(policy, a2a, visibility, acting.files(tools), acting.web(tools, plugins));
    }

    /**
     * {@code profile}, {@code allow}, {@code alsoAllow}, {@code deny} and {@code byProvider} of a global
     * or per-agent {@code tools}, validated strictly (OpenClaw's schema is strict here).
     */
    static ToolPolicy readPolicy(ObjectReader tools) {
        if (tools == null) return ToolPolicy.UNSET;
        tools.strict();
        Map<String, ToolPolicy> byProvider = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectReader> entry : tools.objects("byProvider").entrySet()) {
            ObjectReader scope = entry.getValue().strict();
            String key = entry.getKey().strip().toLowerCase(java.util.Locale.ROOT);
            if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
                scope.errorHere("byProvider keys are a provider id or \"provider/model\", got " + JsonPaths.quote(entry.getKey()));
                continue;
            }
            String previous = seen.putIfAbsent(key, scope.path);
            if (previous != null) {
                scope.errorHere("the same provider as " + previous + " (keys are compared in lower case)");
                continue;
            }
            byProvider.put(key, scopePolicy(scope, Map.of()));
        }
        return scopePolicy(tools, byProvider);
    }

    private static ToolPolicy scopePolicy(ObjectReader scope, Map<String, ToolPolicy> byProvider) {
        List<String> allow = scope.strings("allow");
        List<String> alsoAllow = scope.strings("alsoAllow");
        if (allow != null && !allow.isEmpty() && alsoAllow != null && !alsoAllow.isEmpty()) {
            scope.error("alsoAllow", "cannot be set together with allow in the same scope (OpenClaw refuses it too): merge"
                    + " alsoAllow into allow, or remove allow and use profile + alsoAllow");
        }
        return new ToolPolicy(scope.choice("profile", ToolPolicy.Profile.class), allow, alsoAllow, scope.strings("deny"),
                byProvider, scope.path);
    }

    private static SessionConfig readSession(ObjectReader session) {
        if (session == null) return SessionConfig.DEFAULT;
        DmScope dmScope = session.choice("dmScope", DmScope.class, DmScope.MAIN);
        String mainKey = SessionKey.normalizeMainKey(session.string("mainKey", SessionKey.DEFAULT_MAIN_KEY));
        SessionConfig.Scope scope = session.choice("scope", SessionConfig.Scope.class, SessionConfig.Scope.PER_SENDER);
        ObjectReader a2a = session.object("agentToAgent");
        int pingPong = a2a == null ? SessionConfig.DEFAULT_MAX_PING_PONG_TURNS
                : a2a.integer("maxPingPongTurns", 0, 5, SessionConfig.DEFAULT_MAX_PING_PONG_TURNS);
        return new SessionConfig(dmScope, mainKey, scope, pingPong, readReset(session.object("reset")),
                session.choice("groupScope", GroupScope.class, GroupScope.PER_GROUP), readIdentityLinks(session));
    }

    /** {@code identityLinks}: a name to an array of ids, each a non-empty string. */
    private static Map<String, List<String>> readIdentityLinks(ObjectReader session) {
        Map<String, List<String>> links = new LinkedHashMap<>();
        ObjectReader map = session.object("identityLinks");
        if (map == null) return links;
        for (String name : map.keys()) {
            if (name.isBlank()) {
                map.error(name, "an identity's name must not be blank");
                continue;
            }
            List<String> ids = map.strings(name);
            if (ids == null && !map.has(name)) map.error(name, "expected an array of ids such as \"telegram:123456\"");
            if (ids != null) links.put(name, ids);
        }
        return links;
    }

    /** No {@code reset}: never; a {@code reset} without {@code mode}: daily (OpenClaw's rule). */
    private static SessionConfig.Reset readReset(ObjectReader reset) {
        if (reset == null) return SessionConfig.Reset.NONE;
        SessionConfig.ResetMode mode = reset.choice("mode", SessionConfig.ResetMode.class, SessionConfig.ResetMode.DAILY);
        if (mode != SessionConfig.ResetMode.NONE) reset.warnNotImplemented("mode"); // no automatic reset yet: docs/CONFIG.md
        return new SessionConfig.Reset(mode,
                reset.integer("atHour", 0, 23, SessionConfig.Reset.DEFAULT_AT_HOUR),
                reset.integer("idleMinutes", 0, Integer.MAX_VALUE));
    }

    private GatewayConfig readGateway(ObjectReader gateway, String path) {
        Integer filePort = null;
        GatewayConfig.Bind bind = GatewayConfig.Bind.LOOPBACK;
        String customHost = null;
        ObjectReader auth = null;
        if (gateway != null) {
            filePort = gateway.integer("port", 1, 65535);
            bind = gateway.choice("bind", GatewayConfig.Bind.class, GatewayConfig.Bind.LOOPBACK);
            customHost = gateway.string("customBindHost");
            auth = gateway.object("auth");
            if (bind == GatewayConfig.Bind.CUSTOM && customHost == null) {
                gateway.error("customBindHost", "required when bind is \"custom\"");
            }
        }
        int port = envPort(filePort == null ? GatewayConfig.DEFAULT_PORT : filePort);
        GatewayConfig.Auth resolvedAuth = readAuth(auth, JsonPaths.child(path, "auth"));
        if (bind != GatewayConfig.Bind.LOOPBACK && resolvedAuth != null && resolvedAuth.mode() == GatewayConfig.AuthMode.NONE) {
            ctx.problems.error(JsonPaths.child(path, "bind"), JsonPaths.quote(bind.toString())
                    + " exposes the gateway beyond this host; set gateway.auth.mode to \"token\" or \"password\"");
        }
        return new GatewayConfig(port, bind, customHost, resolvedAuth);
    }

    private int envPort(int fallback) {
        for (String name : PORT_VARIABLES) {
            String value = ctx.variable(name);
            if (value == null) continue;
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 1 && port <= 65535) return port;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            ctx.problems.error("gateway.port", "environment variable " + name + " must be a port from 1 to 65535, got "
                    + JsonPaths.quote(value));
            return fallback;
        }
        return fallback;
    }

    /** Mode from the file, else implied by the secret present; token and password may come from the environment. */
    private GatewayConfig.Auth readAuth(ObjectReader auth, String path) {
        GatewayConfig.AuthMode mode = null;
        Secret token = null;
        Secret password = null;
        boolean tokenWritten = false;
        boolean passwordWritten = false;
        if (auth != null) {
            JsonNode modeValue = auth.raw("mode");
            if (modeValue != null && modeValue.asText().equals("trusted-proxy")) {
                auth.error("mode", "\"trusted-proxy\" is not supported by JClaw; use \"token\" or \"password\"");
                return null;
            }
            mode = auth.choice("mode", GatewayConfig.AuthMode.class);
            token = auth.secret("token");
            password = auth.secret("password");
            tokenWritten = auth.has("token");
            passwordWritten = auth.has("password");
        }
        if (token == null) token = firstVariable(TOKEN_VARIABLES);
        if (password == null) password = firstVariable(PASSWORD_VARIABLES);
        if (mode == null) {
            mode = token != null ? GatewayConfig.AuthMode.TOKEN
                    : password != null ? GatewayConfig.AuthMode.PASSWORD : GatewayConfig.AuthMode.NONE;
        }
        if (mode == GatewayConfig.AuthMode.TOKEN && token == null && !tokenWritten) {
            ctx.problems.error(JsonPaths.child(path, "token"), "required when auth.mode is \"token\" (or set OPENCLAW_GATEWAY_TOKEN)");
        }
        if (mode == GatewayConfig.AuthMode.PASSWORD && password == null && !passwordWritten) {
            ctx.problems.error(JsonPaths.child(path, "password"), "required when auth.mode is \"password\" (or set OPENCLAW_GATEWAY_PASSWORD)");
        }
        return new GatewayConfig.Auth(mode, token, password);
    }

    private Secret firstVariable(List<String> names) {
        for (String name : names) {
            String value = ctx.variable(name);
            if (value != null) return Secret.of(value);
        }
        return null;
    }
}
