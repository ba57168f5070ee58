package dev.jclaw.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of the tools that act: {@code tools.fs}, {@code tools.exec.applyPatch}, {@code tools.web}
 * and the {@code plugins.entries.<brave|searxng|perplexity>.config.webSearch} blocks OpenClaw keeps search
 * credentials in. These sections are checked as strictly as OpenClaw's schema checks them: an unknown key
 * is an error, not a warning.
 */
final class ToolsBinder {
    /** Search providers JClaw speaks, in OpenClaw's auto-detection order. */
    static final List<String> SEARCH_PROVIDERS = List.of("brave", "perplexity", "searxng");
    /** Providers OpenClaw 2026.9.6 documents that JClaw does not speak (each needs an SDK or a vendor API of its own). */
    static final Set<String> OTHER_OPENCLAW_PROVIDERS = Set.of("codex", "duckduckgo", "exa", "firecrawl", "gemini", "grok", "kimi",
            "minimax", "ollama", "parallel", "parallel-free", "tavily");
    private static final int MIN_RESPONSE_BYTES = 32_000;
    private static final int MAX_RESPONSE_BYTES = 10_000_000;

    private final ReadContext ctx;

    ToolsBinder(ReadContext ctx) {
        this.ctx = ctx;
    }

    FileToolsConfig files(ObjectReader tools) {
        if (tools == null) return FileToolsConfig.DEFAULT;
        ObjectReader fs = tools.strictObject("fs");
        boolean workspaceOnly = fs == null ? FileToolsConfig.DEFAULT.workspaceOnly() : fs.bool("workspaceOnly", FileToolsConfig.DEFAULT.workspaceOnly());
        FileToolsConfig.ApplyPatch applyPatch = FileToolsConfig.ApplyPatch.DEFAULT;
        ObjectReader exec = tools.strictObject("exec");
        ObjectReader patch = exec == null ? null : exec.strictObject("applyPatch");
        if (patch != null) {
            applyPatch = new FileToolsConfig.ApplyPatch(patch.bool("enabled", true), patch.bool("workspaceOnly", true), patch.strings("allowModels"));
        }
        return new FileToolsConfig(workspaceOnly, applyPatch);
    }

    WebToolsConfig web(ObjectReader tools, ObjectReader plugins) {
        ObjectReader web = tools == null ? null : tools.strictObject("web");
        ObjectReader fetch = web == null ? null : web.strictObject("fetch");
        ObjectReader search = web == null ? null : web.object("search");
        if (search != null) search.relaxed(); // OpenClaw lets other keys through here
        return new WebToolsConfig(fetch(fetch), search(search, pluginSearchConfigs(plugins)));
    }

    private WebToolsConfig.Fetch fetch(ObjectReader f) {
        WebToolsConfig.Fetch d = WebToolsConfig.Fetch.DEFAULT;
        if (f == null) return d;
        int cap = f.integer("maxCharsCap", 1, Integer.MAX_VALUE, d.maxCharsCap());
        int maxChars = f.integer("maxChars", 1, Integer.MAX_VALUE, d.maxChars());
        if (maxChars > cap) {
            f.warn("maxChars", maxChars + " is above maxCharsCap (" + cap + "); " + cap + " is used");
            maxChars = cap;
        }
        int responseBytes = f.integer("maxResponseBytes", 1, Integer.MAX_VALUE, d.maxResponseBytes());
        if (responseBytes < MIN_RESPONSE_BYTES || responseBytes > MAX_RESPONSE_BYTES) {
            int clamped = Math.clamp(responseBytes, MIN_RESPONSE_BYTES, MAX_RESPONSE_BYTES);
            f.warn("maxResponseBytes", "clamped to " + clamped + " (from " + MIN_RESPONSE_BYTES + " to " + MAX_RESPONSE_BYTES + ")");
            responseBytes = clamped;
        }
        Duration timeout = Duration.ofSeconds(f.integer("timeoutSeconds", 1, 3600, (int) d.timeout().toSeconds()));
        Duration ttl = cacheTtl(f, d.cacheTtl());
        int redirects = f.integer("maxRedirects", 0, 20, d.maxRedirects());
        String userAgent = f.string("userAgent", d.userAgent());
        Map<String, Secret> headers = f.secrets("headers");
        boolean readability = f.bool("readability", d.readability());
        if (f.has("provider")) f.warnNotImplemented("provider"); // Firecrawl fallback
        if (f.bool("useTrustedEnvProxy", false)) f.warnNotImplemented("useTrustedEnvProxy");
        return new WebToolsConfig.Fetch(f.bool("enabled", true), maxChars, cap, responseBytes, timeout, ttl, redirects, userAgent,
                headers, readability, ssrf(f.strictObject("ssrfPolicy")));
    }

    private static WebToolsConfig.SsrfPolicy ssrf(ObjectReader s) {
        if (s == null) return WebToolsConfig.SsrfPolicy.DEFAULT;
        List<String> allowed = s.strings("allowedHostnames");
        List<String> blocked = s.strings("blockedHostnames");
        return new WebToolsConfig.SsrfPolicy(s.bool("dangerouslyAllowPrivateNetwork", false), s.bool("allowRfc2544BenchmarkRange", false),
                s.bool("allowIpv6UniqueLocalRange", false), hostnames(allowed), hostnames(blocked));
    }

    private static List<String> hostnames(List<String> names) {
        if (names == null) return List.of();
        return names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).toList();
    }

    private static Duration cacheTtl(ObjectReader r, Duration fallback) {
        JsonNode value = r.raw("cacheTtlMinutes");
        if (value == null) return fallback;
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 10_080) {
            r.error("cacheTtlMinutes", "expected a number of minutes from 0 to 10080, got " + JsonPaths.describe(value));
            return fallback;
        }
        return Duration.ofMillis(Math.round(value.doubleValue() * 60_000));
    }

    /** The {@code webSearch} blocks of the search plugins JClaw speaks, by plugin id; absent when the plugin is disabled. */
    private record PluginSearch(boolean disabled, ObjectReader webSearch) {}

    private Map<String, PluginSearch> pluginSearchConfigs(ObjectReader plugins) {
        Map<String, PluginSearch> out = new java.util.HashMap<>();
        if (plugins == null) return out;
        boolean all = plugins.bool("enabled", true);
        List<String> allow = plugins.strings("allow");
        List<String> deny = plugins.strings("deny");
        ObjectReader entries = plugins.object("entries");
        if (entries != null) {
            for (String id : entries.keys()) {
                if (!SEARCH_PROVIDERS.contains(id)) {
                    entries.raw(id);
                    entries.warn(id, "plugin not implemented by JClaw; ignored");
                }
            }
        }
        for (String id : SEARCH_PROVIDERS) {
            ObjectReader entry = entries == null ? null : entries.strictObject(id);
            ObjectReader webSearch = null;
            boolean enabled = all && (allow == null || allow.isEmpty() || allow.contains(id)) && (deny == null || !deny.contains(id));
            if (entry != null) {
                enabled &= entry.bool("enabled", true);
                ObjectReader config = entry.strictObject("config");
                webSearch = config == null ? null : config.strictObject("webSearch");
            }
            out.put(id, new PluginSearch(!enabled, webSearch));
        }
        return out;
    }

    private WebToolsConfig.Search search(ObjectReader s, Map<String, PluginSearch> plugins) {
        WebToolsConfig.Search d = WebToolsConfig.Search.NONE;
        // Every provider block is read (and so checked) whether or not it is the one used.
        Map<String, WebToolsConfig.SearchProvider> configured = new java.util.LinkedHashMap<>();
        Map<String, String> missing = new java.util.LinkedHashMap<>();
        for (String id : SEARCH_PROVIDERS) {
            PluginSearch plugin = plugins.getOrDefault(id, new PluginSearch(false, null));
            WebToolsConfig.SearchProvider provider = switch (id) {
                case "brave" -> brave(plugin.webSearch());
                case "perplexity" -> perplexity(plugin.webSearch());
                default -> searxng(plugin.webSearch());
            };
            if (plugin.disabled()) missing.put(id, "the " + id + " plugin is disabled in plugins");
            else if (provider == null) missing.put(id, credentialHint(id));
            else configured.put(id, provider);
        }
        if (s == null) return auto(d, configured);
        for (String legacy : List.of("apiKey", "brave", "perplexity", "searxng", "gemini", "grok", "kimi")) {
            JsonNode value = s.raw(legacy);
            if (value != null && (legacy.equals("apiKey") || value.isObject())) {
                s.error(legacy, "legacy web_search provider config must use plugins.entries.<plugin>.config.webSearch");
            }
        }
        if (s.has("openaiCodex")) s.warnNotImplemented("openaiCodex");
        boolean enabled = s.bool("enabled", true);
        int maxResults = s.integer("maxResults", 1, 10, d.maxResults());
        Duration timeout = Duration.ofSeconds(s.integer("timeoutSeconds", 1, 3600, (int) d.timeout().toSeconds()));
        Duration ttl = cacheTtl(s, d.cacheTtl());
        String named = s.string("provider");
        WebToolsConfig.SearchProvider provider = null;
        String unavailable = null;
        if (!enabled) {
            unavailable = "web_search is disabled (tools.web.search.enabled is false)";
        } else if (named == null) {
            WebToolsConfig.Search found = auto(d, configured);
            provider = found.provider();
            unavailable = found.unavailable();
        } else {
            String id = named.strip().toLowerCase(Locale.ROOT);
            if (SEARCH_PROVIDERS.contains(id)) {
                provider = configured.get(id);
                if (provider == null) unavailable = "web_search (" + id + "): " + missing.get(id);
            } else if (OTHER_OPENCLAW_PROVIDERS.contains(id)) {
                s.warn("provider", JsonPaths.quote(named) + " is an OpenClaw search provider JClaw does not speak (it speaks "
                        + String.join(", ", SEARCH_PROVIDERS) + "); web_search is unavailable");
                unavailable = "web_search provider \"" + id + "\" is not supported by JClaw (use brave, perplexity or searxng)";
            } else {
                s.error("provider", "unknown web_search provider " + JsonPaths.quote(named) + "; expected one of "
                        + String.join(", ", SEARCH_PROVIDERS) + " (or omit it to pick the first one configured)");
            }
        }
        return new WebToolsConfig.Search(enabled, provider, provider == null ? unavailable : null, maxResults, timeout, ttl);
    }

    private static WebToolsConfig.Search auto(WebToolsConfig.Search d, Map<String, WebToolsConfig.SearchProvider> configured) {
        if (configured.isEmpty()) return d;
        return new WebToolsConfig.Search(true, configured.values().iterator().next(), null, d.maxResults(), d.timeout(), d.cacheTtl());
    }

    private static String credentialHint(String id) {
        return switch (id) {
            case "brave" -> "it needs a Brave Search API key: set plugins.entries.brave.config.webSearch.apiKey or BRAVE_API_KEY";
            case "perplexity" -> "it needs an API key: set plugins.entries.perplexity.config.webSearch.apiKey, PERPLEXITY_API_KEY or OPENROUTER_API_KEY";
            default -> "it needs the instance's URL: set plugins.entries.searxng.config.webSearch.baseUrl or SEARXNG_BASE_URL";
        };
    }

    private WebToolsConfig.SearchProvider.Brave brave(ObjectReader w) {
        Secret key = w == null ? null : w.secret("apiKey");
        WebToolsConfig.BraveMode mode = w == null ? WebToolsConfig.BraveMode.WEB
                : w.choice("mode", WebToolsConfig.BraveMode.class, WebToolsConfig.BraveMode.WEB);
        URI base = w == null ? null : endpoint(w, "baseUrl");
        if (key == null) key = variable("BRAVE_API_KEY");
        if (key == null) return null;
        return new WebToolsConfig.SearchProvider.Brave(key, mode, base == null ? WebToolsConfig.SearchProvider.Brave.DEFAULT_BASE_URL : base);
    }

    private WebToolsConfig.SearchProvider.SearXng searxng(ObjectReader w) {
        URI base = w == null ? null : endpoint(w, "baseUrl");
        String categories = w == null ? null : w.string("categories");
        String language = w == null ? null : w.string("language");
        if (base == null) {
            String fromEnv = ctx.variable("SEARXNG_BASE_URL");
            if (fromEnv != null) base = checkedEndpoint(fromEnv, "SEARXNG_BASE_URL (environment)");
        }
        return base == null ? null : new WebToolsConfig.SearchProvider.SearXng(base, categories, language);
    }

    /** OpenClaw's transport rule: a {@code pplx-} key (or PERPLEXITY_API_KEY) without overrides uses the Search API, else chat completions. */
    private WebToolsConfig.SearchProvider.Perplexity perplexity(ObjectReader w) {
        Secret configKey = w == null ? null : w.secret("apiKey");
        URI base = w == null ? null : endpoint(w, "baseUrl");
        String model = w == null ? null : w.string("model");
        Secret key = configKey;
        boolean direct;
        if (key != null) {
            direct = !key.reveal().toLowerCase(Locale.ROOT).startsWith("sk-or-");
        } else if ((key = variable("PERPLEXITY_API_KEY")) != null) {
            direct = true;
        } else if ((key = variable("OPENROUTER_API_KEY")) != null) {
            direct = false;
        } else {
            return null;
        }
        boolean override = base != null || model != null;
        URI effectiveBase = base != null ? base : direct ? WebToolsConfig.SearchProvider.Perplexity.DIRECT_BASE_URL
                : WebToolsConfig.SearchProvider.Perplexity.OPENROUTER_BASE_URL;
        boolean searchApi = !override && direct;
        return new WebToolsConfig.SearchProvider.Perplexity(key, effectiveBase, model != null ? model
                : WebToolsConfig.SearchProvider.Perplexity.DEFAULT_MODEL, searchApi);
    }

    private Secret variable(String name) {
        String value = ctx.variable(name);
        return value == null || value.isBlank() ? null : Secret.of(value);
    }

    /** A provider endpoint: an http(s) URL (that plain http reaches only private hosts is checked when a request is made). */
    private URI endpoint(ObjectReader r, String key) {
        JsonNode raw = r.raw(key);
        if (raw == null) return null;
        Secret value = r.secret(key); // a string or an env SecretRef
        return value == null ? null : checkedEndpoint(value.reveal(), r.pathOf(key));
    }

    private URI checkedEndpoint(String text, String at) {
        URI uri;
        try {
            uri = new URI(text.strip().replaceAll("/+$", ""));
        } catch (java.net.URISyntaxException e) {
            ctx.problems.error(at, "expected an http:// or https:// URL, got " + JsonPaths.quote(text));
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            ctx.problems.error(at, "expected an http:// or https:// URL, got " + JsonPaths.quote(text));
            return null;
        }
        return uri;
    }
}
