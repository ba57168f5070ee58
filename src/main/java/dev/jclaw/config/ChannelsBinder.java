package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.routing.AgentId;
import dev.jclaw.routing.DmScope;
import dev.jclaw.routing.GroupScope;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code channels} and {@code bindings}, checked as strictly as OpenClaw's schema checks them
 * ({@code channels.telegram} and {@code bindings[]} reject unknown keys), plus the cross-references
 * a schema cannot see: a binding or a topic naming an unknown agent, a binding naming an account
 * that does not exist, two accounts sharing one bot token.
 */
final class ChannelsBinder {
    private static final String TELEGRAM = "telegram";
    private static final Pattern CHANNEL_ID = Pattern.compile("^[a-z][a-z0-9_-]*$");
    private static final Pattern CHAT_ID = Pattern.compile("^-?[0-9]+$");
    private static final String TOKEN_VARIABLE = "TELEGRAM_BOT_TOKEN";
    private static final String RESERVED_WEBHOOK_PATH = "/healthz";

    private final ReadContext ctx;
    private final Set<String> agentIds;

    /** @param agentIds the configured agents, normalised: bindings and topics must name one of them */
    ChannelsBinder(ReadContext ctx, Set<String> agentIds) {
        this.ctx = ctx;
        this.agentIds = agentIds;
    }

    record Result(ChannelsConfig channels, List<BindingConfig> bindings) {}

    Result bind(ObjectReader channels, ObjectReader root) {
        TelegramConfig telegram = null;
        ChannelAccess.GroupPolicy defaultGroupPolicy = null;
        if (channels != null) {
            ObjectReader defaults = channels.object("defaults");
            if (defaults != null) defaultGroupPolicy = defaults.choice("groupPolicy", ChannelAccess.GroupPolicy.class);
            channels.raw("modelByChannel"); // OpenClaw's; reported below as not implemented
            for (String key : channels.keys()) {
                switch (key) {
                    case TELEGRAM, "defaults" -> { }
                    case "modelByChannel" -> channels.warnNotImplemented(key);
                    default -> {
                        if (looksLike(key, TELEGRAM)) channels.error(key, "unknown channel; did you mean \"telegram\"?");
                        else channels.warnNotImplemented(key); // another chat app: Telegram is the one JClaw speaks
                    }
                }
            }
            ObjectReader telegramNode = channels.object(TELEGRAM);
            if (telegramNode != null) telegram = readTelegram(telegramNode.strict(), defaultGroupPolicy);
        }
        List<BindingConfig> bindings = readBindings(root, telegram);
        return new Result(new ChannelsConfig(telegram), bindings);
    }

    // ---- channels.telegram ----

    /** The settings one level (the root or an account) writes; null where it writes nothing. */
    private record Layer(String path, String name, Boolean enabled, Secret botToken, Path tokenFile, URI apiRoot,
                         ChannelAccess.DmPolicy dmPolicy, List<String> allowFrom, ChannelAccess.GroupPolicy groupPolicy,
                         List<String> groupAllowFrom, Map<String, ChannelAccess.GroupRules> groups, Integer textChunkLimit,
                         TelegramConfig.StreamingMode streaming, TelegramConfig.ReplyToMode replyToMode, Long mediaMaxBytes,
                         URI webhookUrl, Secret webhookSecret, String webhookPath, String webhookHost, Integer webhookPort,
                         Path webhookCertPath, URI proxy, Boolean linkPreview, String responsePrefix) {}

    private TelegramConfig readTelegram(ObjectReader t, ChannelAccess.GroupPolicy defaultGroupPolicy) {
        Layer root = readLayer(t);
        String defaultAccount = t.string("defaultAccount");
        Map<String, ObjectReader> accountNodes = t.objects("accounts");
        List<TelegramConfig.Account> accounts = new ArrayList<>();
        Map<String, String> tokens = new HashMap<>();
        if (accountNodes.isEmpty()) {
            accounts.add(merge(TelegramConfig.DEFAULT_ACCOUNT, root, null, defaultGroupPolicy, tokens));
        } else {
            Map<String, String> seen = new HashMap<>();
            for (Map.Entry<String, ObjectReader> entry : accountNodes.entrySet()) {
                String id = entry.getKey().strip().toLowerCase(Locale.ROOT);
                if (!AgentId.isValid(id)) {
                    entry.getValue().errorHere("account ids must match " + AgentId.PATTERN_TEXT);
                    continue;
                }
                String previous = seen.putIfAbsent(id, entry.getValue().path);
                if (previous != null) {
                    entry.getValue().errorHere("account id " + JsonPaths.quote(id) + " is already used by " + previous);
                    continue;
                }
                accounts.add(merge(id, root, readLayer(entry.getValue()), defaultGroupPolicy, tokens));
            }
        }
        String resolvedDefault = null;
        if (defaultAccount != null) {
            String wanted = defaultAccount.strip().toLowerCase(Locale.ROOT);
            if (accounts.stream().noneMatch(a -> a.id().equals(wanted))) {
                t.error("defaultAccount", JsonPaths.quote(defaultAccount) + " is not one of channels.telegram.accounts ("
                        + String.join(", ", accounts.stream().map(TelegramConfig.Account::id).toList()) + ")");
            } else {
                resolvedDefault = wanted;
            }
        }
        if (resolvedDefault == null && !accounts.isEmpty()) {
            resolvedDefault = accounts.stream().anyMatch(a -> a.id().equals(TelegramConfig.DEFAULT_ACCOUNT))
                    ? TelegramConfig.DEFAULT_ACCOUNT : accounts.getFirst().id();
        }
        return new TelegramConfig(root.enabled() == null || root.enabled(), resolvedDefault, accounts);
    }

    private Layer readLayer(ObjectReader r) {
        Secret botToken = r.secret("botToken");
        Path tokenFile = r.path("tokenFile");
        Integer chunk = r.integer("textChunkLimit", 1, Integer.MAX_VALUE);
        Long mediaMax = null;
        JsonNode media = r.raw("mediaMaxMb");
        if (media != null) {
            if (!media.isNumber() || media.doubleValue() <= 0 || media.doubleValue() > 1_000_000) {
                r.error("mediaMaxMb", "expected a number of megabytes above 0, got " + JsonPaths.describe(media));
            } else {
                mediaMax = (long) (media.doubleValue() * 1024 * 1024);
            }
        }
        return new Layer(r.path, r.string("name"), r.bool("enabled"), botToken, tokenFile, apiRoot(r),
                r.choice("dmPolicy", ChannelAccess.DmPolicy.class), ids(r, "allowFrom"),
                r.choice("groupPolicy", ChannelAccess.GroupPolicy.class), ids(r, "groupAllowFrom"), groups(r),
                chunk, streaming(r), r.choice("replyToMode", TelegramConfig.ReplyToMode.class), mediaMax,
                r.httpUrl("webhookUrl"), r.secret("webhookSecret"), webhookPath(r), r.string("webhookHost"),
                r.integer("webhookPort", 0, 65535), r.path("webhookCertPath"), proxy(r), r.bool("linkPreview"), r.string("responsePrefix"));
    }

    private TelegramConfig.Account merge(String id, Layer root, Layer account, ChannelAccess.GroupPolicy defaultGroupPolicy,
                                         Map<String, String> tokens) {
        Layer own = account != null ? account : root;
        String at = own.path();
        boolean enabled = (root.enabled() == null || root.enabled()) && (account == null || account.enabled() == null || account.enabled());

        Secret token = null;
        String source = null;
        String problem = null;
        List<Layer> layers = account != null ? List.of(account, root) : List.of(root);
        for (Layer layer : layers) {
            if (layer.tokenFile() != null) {
                source = "tokenFile";
                String path = JsonPaths.child(layer.path(), "tokenFile");
                try {
                    token = Secret.of(readTokenFile(layer.tokenFile()));
                } catch (IOException e) {
                    problem = path + ": " + e.getMessage();
                    ctx.problems.warn(path, e.getMessage() + "; account " + JsonPaths.quote(id) + " stays stopped");
                }
                break;
            }
            if (layer.botToken() != null) {
                source = "botToken";
                token = layer.botToken().reveal().isBlank() ? null : layer.botToken();
                if (token == null) problem = JsonPaths.child(layer.path(), "botToken") + " is empty";
                break;
            }
        }
        if (source == null && id.equals(TelegramConfig.DEFAULT_ACCOUNT)) {
            String env = ctx.variable(TOKEN_VARIABLE);
            if (env != null) {
                token = Secret.of(env.strip());
                source = "env";
            }
        }
        if (token == null && problem == null) {
            problem = "no bot token: set botToken or tokenFile" + (id.equals(TelegramConfig.DEFAULT_ACCOUNT) ? ", or " + TOKEN_VARIABLE : "");
            if (enabled) ctx.problems.warn(at, problem + "; account " + JsonPaths.quote(id) + " stays stopped");
        }
        if (token != null && enabled) {
            String other = tokens.putIfAbsent(token.reveal(), id);
            if (other != null) {
                ctx.problems.error(at, "account " + JsonPaths.quote(id) + " uses the same bot token as account " + JsonPaths.quote(other)
                        + ": Telegram lets one poller per bot read updates");
            }
        }

        ChannelAccess.DmPolicy dmPolicy = pick(account, root, Layer::dmPolicy, ChannelAccess.DmPolicy.PAIRING);
        List<String> allowFrom = pick(account, root, Layer::allowFrom, List.of());
        String dmPolicyPath = JsonPaths.child(account != null && account.dmPolicy() != null ? account.path() : root.path(), "dmPolicy");
        if (dmPolicy == ChannelAccess.DmPolicy.ALLOWLIST && allowFrom.isEmpty()) {
            ctx.problems.error(dmPolicyPath, "\"allowlist\" needs at least one sender id in allowFrom (with none, every DM is refused)");
        }
        if (dmPolicy == ChannelAccess.DmPolicy.OPEN && !allowFrom.contains(ChannelAccess.ANY)) {
            ctx.problems.warn(dmPolicyPath, "\"open\" without \"*\" in allowFrom admits only the senders listed there");
        }
        ChannelAccess.GroupPolicy groupPolicy = pick(account, root, Layer::groupPolicy,
                defaultGroupPolicy != null ? defaultGroupPolicy : ChannelAccess.GroupPolicy.ALLOWLIST);
        ChannelAccess access = new ChannelAccess(dmPolicy, allowFrom, groupPolicy, pick(account, root, Layer::groupAllowFrom, null),
                pick(account, root, Layer::groups, Map.of()));

        URI webhookUrl = pick(account, root, Layer::webhookUrl, null);
        Secret webhookSecret = pick(account, root, Layer::webhookSecret, null);
        TelegramConfig.Webhook webhook = null;
        if (webhookUrl != null && webhookSecret != null) {
            webhook = new TelegramConfig.Webhook(webhookUrl, webhookSecret,
                    pick(account, root, Layer::webhookPath, TelegramConfig.Webhook.DEFAULT_PATH),
                    pick(account, root, Layer::webhookHost, TelegramConfig.Webhook.DEFAULT_HOST),
                    pick(account, root, Layer::webhookPort, TelegramConfig.Webhook.DEFAULT_PORT),
                    pick(account, root, Layer::webhookCertPath, null));
        } else if (webhookUrl != null || webhookSecret != null) {
            ctx.problems.error(JsonPaths.child(at, webhookUrl != null ? "webhookSecret" : "webhookUrl"),
                    "webhook mode needs both webhookUrl and webhookSecret");
        }
        int chunk = Math.min(TelegramConfig.MAX_TEXT_CHUNK, pick(account, root, Layer::textChunkLimit, TelegramConfig.MAX_TEXT_CHUNK));
        return new TelegramConfig.Account(id, pick(account, root, Layer::name, null), enabled, token, token == null ? null : source, problem,
                pick(account, root, Layer::apiRoot, TelegramConfig.PUBLIC_API_ROOT), access, chunk,
                pick(account, root, Layer::streaming, TelegramConfig.StreamingMode.PROGRESS),
                pick(account, root, Layer::replyToMode, TelegramConfig.ReplyToMode.OFF),
                pick(account, root, Layer::mediaMaxBytes, 100L * 1024 * 1024), webhook, pick(account, root, Layer::proxy, null),
                pick(account, root, Layer::linkPreview, true), pick(account, root, Layer::responsePrefix, null));
    }

    /** The account's value, else the root's, else the default (OpenClaw: an account inherits what it omits). */
    private static <T> T pick(Layer account, Layer root, java.util.function.Function<Layer, T> field, T fallback) {
        T own = account == null ? null : field.apply(account);
        if (own != null) return own;
        T inherited = field.apply(root);
        return inherited != null ? inherited : fallback;
    }

    /** A token file must be a regular file, not a symlink (OpenClaw's rule), and hold a non-empty token. */
    private static String readTokenFile(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) throw new IOException(file + " is a symbolic link; name the file itself");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException(file + " is not a readable regular file");
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (token.isEmpty()) throw new IOException(file + " is empty");
        return token;
    }

    private URI apiRoot(ObjectReader r) {
        URI uri = r.httpUrl("apiRoot");
        if (uri == null) return null;
        String text = uri.toString().replaceAll("/+$", "");
        int bot = text.indexOf("/bot");
        if (bot >= 0 && text.substring(bot + 4).contains(":")) {
            r.warn("apiRoot", "the Bot API root must not end with /bot<token>; using " + JsonPaths.quote(text.substring(0, bot)));
            text = text.substring(0, bot);
        }
        return URI.create(text);
    }

    private URI proxy(ObjectReader r) {
        String text = r.string("proxy");
        if (text == null) return null;
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getPort() > 0) return uri;
            if (scheme.startsWith("socks")) {
                r.warn("proxy", "SOCKS proxies are not supported by JClaw (Java's HTTP client speaks HTTP proxies only); ignored");
                return null;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        r.error("proxy", "expected an HTTP proxy URL with a port, such as \"http://proxy.local:3128\"; got " + JsonPaths.quote(text));
        return null;
    }

    private String webhookPath(ObjectReader r) {
        String path = r.string("webhookPath");
        if (path == null) return null;
        if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
            r.error("webhookPath", "expected a path starting with \"/\", got " + JsonPaths.quote(path));
            return null;
        }
        if (path.equals(RESERVED_WEBHOOK_PATH)) {
            r.error("webhookPath", "\"" + RESERVED_WEBHOOK_PATH + "\" is reserved for the listener's health check");
            return null;
        }
        return path;
    }

    /** {@code streaming: {mode}}; the older forms {@code streaming: "partial"} and {@code true}/{@code false} are read with a warning. */
    private TelegramConfig.StreamingMode streaming(ObjectReader r) {
        JsonNode value = r.raw("streaming");
        if (value == null) return null;
        if (value.isTextual() || value.isBoolean()) {
            TelegramConfig.StreamingMode mode = value.isBoolean() ? (value.booleanValue() ? TelegramConfig.StreamingMode.PARTIAL
                    : TelegramConfig.StreamingMode.OFF) : null;
            if (value.isTextual()) {
                for (TelegramConfig.StreamingMode m : TelegramConfig.StreamingMode.values()) {
                    if (m.toString().equals(value.asText())) mode = m;
                }
            }
            if (mode == null) {
                r.error("streaming", "expected {mode: \"off\" | \"partial\" | \"block\" | \"progress\"}, got " + JsonPaths.describe(value));
                return null;
            }
            r.warn("streaming", "older form; OpenClaw 2026.9 writes streaming: {mode: " + JsonPaths.quote(mode.toString()) + "}");
            return mode;
        }
        ObjectReader s = r.object("streaming");
        if (s == null) return null;
        s.choice("chunkMode", ChunkMode.class); // checked; paragraphs are preferred split points either way
        return s.choice("mode", TelegramConfig.StreamingMode.class);
    }

    /** {@code streaming.chunkMode}. */
    private enum ChunkMode {
        LENGTH("length"), NEWLINE("newline");

        private final String wire;

        ChunkMode(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * Telegram user ids: strings or numbers, {@code telegram:}/{@code tg:} prefixes dropped, {@code *}
     * kept. Entries that are no numeric id (an {@code @username}, an {@code accessGroup:}) are left
     * out with a warning, as OpenClaw leaves them out. Null when absent.
     */
    private List<String> ids(ObjectReader r, String key) {
        JsonNode value = r.raw(key);
        if (value == null) return null;
        if (!value.isArray()) {
            r.error(key, "expected an array of Telegram user ids, got " + JsonPaths.describe(value));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String at = JsonPaths.index(r.pathOf(key), i);
            String text;
            if (item.isIntegralNumber()) {
                text = item.asText();
            } else if (item.isTextual()) {
                text = ctx.substitute(item.asText(), at);
                if (text == null) continue;
            } else {
                ctx.problems.error(at, "expected a Telegram user id (a number or a string), got " + JsonPaths.describe(item));
                continue;
            }
            String id = text.strip().replaceFirst("(?i)^(telegram|tg):", "");
            if (id.equals(ChannelAccess.ANY) || CHAT_ID.matcher(id).matches()) {
                out.add(id);
            } else {
                ctx.problems.warn(at, JsonPaths.quote(text) + " is not a numeric Telegram user id; ignored (a user's id is in the"
                        + " pairing reply and in the gateway's log)");
            }
        }
        return out;
    }

    /** {@code groups}: chat id (or {@code *}) to rules; null when absent. */
    private Map<String, ChannelAccess.GroupRules> groups(ObjectReader r) {
        if (!r.has("groups")) return null;
        Map<String, ChannelAccess.GroupRules> out = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectReader> entry : r.objects("groups").entrySet()) {
            String chat = entry.getKey().strip();
            ObjectReader g = entry.getValue();
            if (!chat.equals(ChannelAccess.ANY) && !CHAT_ID.matcher(chat).matches()) {
                g.errorHere("group keys are Telegram chat ids (such as \"-1001234567890\") or \"*\"");
                continue;
            }
            if (!chat.equals(ChannelAccess.ANY) && !chat.startsWith("-")) {
                ctx.problems.warn(g.path, "a positive id is a user, not a group: group chat ids are negative");
            }
            Map<String, ChannelAccess.TopicRules> topics = new LinkedHashMap<>();
            for (Map.Entry<String, ObjectReader> topic : g.objects("topics").entrySet()) {
                String thread = topic.getKey().strip();
                ObjectReader tr = topic.getValue();
                if (!thread.equals(ChannelAccess.ANY) && !thread.matches("[0-9]+")) {
                    tr.errorHere("topic keys are forum thread ids (such as \"42\") or \"*\"");
                    continue;
                }
                String agent = tr.string("agentId");
                if (agent != null && !agentIds.contains(AgentId.normalize(agent))) {
                    tr.error("agentId", unknownAgent(agent));
                    agent = null;
                }
                topics.put(thread, new ChannelAccess.TopicRules(tr.bool("enabled"), tr.bool("requireMention"),
                        tr.choice("groupPolicy", ChannelAccess.GroupPolicy.class), ids(tr, "allowFrom"),
                        agent == null ? null : AgentId.normalize(agent)));
            }
            out.put(chat, new ChannelAccess.GroupRules(g.bool("enabled"), g.bool("requireMention"),
                    g.choice("groupPolicy", ChannelAccess.GroupPolicy.class), ids(g, "allowFrom"), topics));
        }
        return out;
    }

    // ---- bindings ----

    private List<BindingConfig> readBindings(ObjectReader root, TelegramConfig telegram) {
        List<ObjectReader> items = root.objectList("bindings");
        List<BindingConfig> out = new ArrayList<>();
        if (items == null) return out;
        for (ObjectReader b : items) {
            b.strict();
            JsonNode type = b.raw("type");
            boolean acp = false;
            if (type != null) {
                if (type.isTextual() && type.asText().equals("acp")) acp = true;
                else if (!type.isTextual() || !type.asText().equals("route")) b.error("type", "expected \"route\" or \"acp\", got " + JsonPaths.describe(type));
            }
            b.string("comment");
            String agent = b.string("agentId");
            if (agent == null && !b.has("agentId")) b.error("agentId", "required: the agent that answers what this binding matches");
            if (agent != null && !agentIds.contains(AgentId.normalize(agent))) {
                b.error("agentId", unknownAgent(agent));
                agent = null;
            }
            BindingConfig.Match match = match(b, telegram);
            ObjectReader session = b.object("session");
            DmScope dmScope = session == null ? null : session.choice("dmScope", DmScope.class);
            GroupScope groupScope = session == null ? null : session.choice("groupScope", GroupScope.class);
            if (acp) {
                b.object("acp");
                b.warn("type", "ACP bindings are not implemented by JClaw; ignored");
                if (match != null && (match.peer() == null || match.peer().id().equals("*"))) {
                    b.error("match", "ACP bindings need match.peer.id naming one conversation");
                }
            } else if (b.has("acp")) {
                b.error("acp", "only bindings of type \"acp\" take acp settings");
            }
            if (agent != null && match != null) out.add(new BindingConfig(AgentId.normalize(agent), acp, match, dmScope, groupScope));
        }
        return out;
    }

    private BindingConfig.Match match(ObjectReader b, TelegramConfig telegram) {
        ObjectReader m = b.object("match");
        if (m == null) {
            if (!b.has("match")) b.error("match", "required: {channel, accountId?, peer?}");
            return null;
        }
        String channel = m.string("channel");
        boolean valid = true;
        if (channel == null) {
            if (!m.has("channel")) m.error("channel", "required: the channel id, such as \"telegram\"");
            valid = false;
        } else {
            channel = channel.strip().toLowerCase(Locale.ROOT);
            if (!CHANNEL_ID.matcher(channel).matches()) {
                m.error("channel", "channel ids match " + CHANNEL_ID.pattern() + ", got " + JsonPaths.quote(channel));
                valid = false;
            }
        }
        String accountId = m.string("accountId");
        if (accountId != null) accountId = accountId.isBlank() ? null : accountId.strip().toLowerCase(Locale.ROOT);
        BindingConfig.Peer peer = null;
        ObjectReader p = m.object("peer");
        if (p != null) {
            JsonNode kind = p.raw("kind");
            String id = p.string("id");
            if (kind == null || !kind.isTextual() || !List.of("direct", "group", "channel").contains(kind.asText())) {
                p.error("kind", "expected \"direct\", \"group\" or \"channel\", got " + JsonPaths.describe(kind));
                valid = false;
            }
            if (id == null || id.isBlank()) {
                if (id != null || !p.has("id")) p.error("id", "required: the chat's id, or \"*\" for any chat of this kind");
                valid = false;
            }
            if (valid) peer = new BindingConfig.Peer(kind.asText(), id.strip().replaceFirst("(?i)^(telegram|tg):", "").toLowerCase(Locale.ROOT));
        }
        List<String> roles = m.strings("roles");
        BindingConfig.Match match = new BindingConfig.Match(channel, accountId, peer, blankToNull(m.string("guildId")),
                blankToNull(m.string("teamId")), roles);
        if (!valid) return null;
        if (!channel.equals(TELEGRAM)) {
            b.warn("match", "channel " + JsonPaths.quote(channel) + " is not implemented by JClaw; this binding matches nothing yet");
        } else if (telegram == null) {
            b.warn("match", "channels.telegram is not configured; this binding matches nothing");
        } else if (accountId != null && !accountId.equals(BindingConfig.ANY_ACCOUNT) && telegram.account(accountId).isEmpty()) {
            m.error("accountId", JsonPaths.quote(accountId) + " is not an account of channels.telegram ("
                    + String.join(", ", telegram.accounts().stream().map(TelegramConfig.Account::id).toList()) + ")");
            return null;
        } else if (accountId == null && telegram.account(TelegramConfig.DEFAULT_ACCOUNT).isEmpty()) {
            m.warn("channel", "without accountId a binding matches only the account \"default\", which channels.telegram does not have;"
                    + " set accountId (or \"*\" for every account)");
        }
        return match;
    }

    private String unknownAgent(String agent) {
        return "unknown agent " + JsonPaths.quote(agent) + " (configured: " + String.join(", ", agentIds) + ")";
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** A near miss: within two edits of {@code known}. */
    private static boolean looksLike(String key, String known) {
        String a = key.toLowerCase(Locale.ROOT);
        if (a.equals(known)) return false;
        int[] previous = new int[known.length() + 1];
        int[] current = new int[known.length() + 1];
        for (int j = 0; j <= known.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= known.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == known.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[known.length()] <= 2;
    }
}
