package dev.jclaw.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.config.WebToolsConfig;
import dev.jclaw.config.WebToolsConfig.SearchProvider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code web_search}'s engine over the providers that need no SDK, called as OpenClaw's plugins call
 * them: Brave's Search API (web or LLM-context mode), a SearXNG instance's JSON API, and Perplexity
 * (its Search API, or OpenAI-compatible chat completions for OpenRouter and other compatible
 * endpoints). Results take OpenClaw's normalised shapes: {@code kind: "results"} or {@code "answer"}.
 * Credentials go in headers only and are never part of a message.
 */
public final class WebSearcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
    private static final Map<String, String> BRAVE_FRESHNESS = Map.of("day", "pd", "week", "pw", "month", "pm", "year", "py");
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");

    private final WebClient.Resolver resolver;
    private final TtlCache<Map<String, Object>> cache = new TtlCache<>(64);

    public WebSearcher() {
        this(WebClient.DNS);
    }

    WebSearcher(WebClient.Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * One search's arguments, already checked for form ({@code freshness} is day|week|month|year).
     *
     * @param count results wanted (1-10), or null for {@code maxResults}
     */
    public record Query(String query, Integer count, String country, String language, String searchLang, String uiLang,
                        String freshness, LocalDate dateAfter, LocalDate dateBefore, String categories) {}

    public Map<String, Object> search(WebToolsConfig.Search config, Query q, Duration budget) throws WebException, InterruptedException {
        SearchProvider provider = config.provider();
        if (provider == null) throw new WebException("web_search is unavailable: " + config.unavailable());
        int count = q.count() != null ? q.count() : config.maxResults();
        String key = provider + "|" + q + "|" + count;
        Map<String, Object> cached = cache.get(key);
        if (cached != null) {
            Map<String, Object> hit = new LinkedHashMap<>(cached);
            hit.put("cached", true);
            return hit;
        }
        Duration timeout = budget.compareTo(config.timeout()) < 0 ? budget : config.timeout();
        long began = System.nanoTime();
        Map<String, Object> result = switch (provider) {
            case SearchProvider.Brave brave -> brave.mode() == WebToolsConfig.BraveMode.WEB ? braveWeb(brave, q, count, timeout)
                    : braveContext(brave, q, count, timeout);
            case SearchProvider.SearXng searxng -> searxng(searxng, q, count, timeout);
            case SearchProvider.Perplexity perplexity -> perplexity.searchApi() ? perplexitySearch(perplexity, q, count, timeout)
                    : perplexityChat(perplexity, q, timeout);
        };
        result.put("tookMs", (System.nanoTime() - began) / 1_000_000);
        cache.put(key, result, config.cacheTtl());
        return result;
    }

    private Map<String, Object> braveWeb(SearchProvider.Brave brave, Query q, int count, Duration timeout) throws WebException, InterruptedException {
        Map<String, String> params = braveParams(q);
        params.put("count", String.valueOf(count));
        if (q.uiLang() != null) params.put("ui_lang", q.uiLang());
        JsonNode data = get("brave", "Brave Search", endpoint(brave.baseUrl(), "/res/v1/web/search", params),
                Map.of("Accept", "application/json", "X-Subscription-Token", brave.apiKey().reveal()), timeout);
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode r : data.path("web").path("results")) {
            results.add(item(r.path("title").asText(""), r.path("url").asText(""), r.path("description").asText(""),
                    first(r, "page_age", "age")));
        }
        return results("brave", q.query(), results, count);
    }

    private Map<String, Object> braveContext(SearchProvider.Brave brave, Query q, int count, Duration timeout) throws WebException, InterruptedException {
        if (q.uiLang() != null) throw new WebException("web_search: \"ui_lang\" is not supported by Brave's llm-context mode; remove it");
        if (q.dateBefore() != null && q.dateAfter() == null) {
            throw new WebException("web_search: \"date_before\" needs \"date_after\" in Brave's llm-context mode");
        }
        JsonNode data = get("brave", "Brave LLM Context", endpoint(brave.baseUrl(), "/res/v1/llm/context", braveParams(q)),
                Map.of("Accept", "application/json", "X-Subscription-Token", brave.apiKey().reveal()), timeout);
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode r : data.path("grounding").path("generic")) {
            List<String> snippets = new ArrayList<>();
            r.path("snippets").forEach(s -> snippets.add(s.asText()));
            results.add(item(r.path("title").asText(""), r.path("url").asText(""), String.join("\n", snippets), null));
        }
        return results("brave", q.query(), results, count);
    }

    private static Map<String, String> braveParams(Query q) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", q.query());
        if (q.country() != null) params.put("country", q.country().toUpperCase(Locale.ROOT));
        String lang = q.searchLang() != null ? q.searchLang() : q.language();
        if (lang != null) params.put("search_lang", lang.toLowerCase(Locale.ROOT));
        if (q.freshness() != null) {
            params.put("freshness", BRAVE_FRESHNESS.get(q.freshness()));
        } else if (q.dateAfter() != null || q.dateBefore() != null) {
            LocalDate from = q.dateAfter() != null ? q.dateAfter() : LocalDate.of(1970, 1, 1);
            LocalDate to = q.dateBefore() != null ? q.dateBefore() : LocalDate.now();
            params.put("freshness", from + "to" + to);
        }
        return params;
    }

    private Map<String, Object> searxng(SearchProvider.SearXng searxng, Query q, int count, Duration timeout) throws WebException, InterruptedException {
        unsupported("searxng", q.freshness(), "freshness");
        unsupported("searxng", q.dateAfter(), "date_after");
        unsupported("searxng", q.dateBefore(), "date_before");
        unsupported("searxng", q.uiLang(), "ui_lang");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", q.query());
        params.put("format", "json");
        String language = q.language() != null ? q.language() : searxng.language();
        if (language != null) params.put("language", language);
        String categories = q.categories() != null ? q.categories() : searxng.categories();
        if (categories != null) params.put("categories", categories);
        JsonNode data = get("searxng", "SearXNG", endpoint(searxng.baseUrl(), "/search", params), Map.of("Accept", "application/json"), timeout);
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode r : data.path("results")) {
            results.add(item(r.path("title").asText(""), r.path("url").asText(""), first(r, "content", "description"),
                    first(r, "publishedDate", "published")));
        }
        return results("searxng", q.query(), results, count);
    }

    private Map<String, Object> perplexitySearch(SearchProvider.Perplexity p, Query q, int count, Duration timeout) throws WebException, InterruptedException {
        unsupported("perplexity", q.uiLang(), "ui_lang");
        unsupported("perplexity", q.searchLang(), "search_lang");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", q.query());
        body.put("max_results", count);
        if (q.country() != null) body.put("country", q.country().toUpperCase(Locale.ROOT));
        if (q.language() != null) body.put("search_language_filter", List.of(q.language().toLowerCase(Locale.ROOT)));
        if (q.freshness() != null) body.put("search_recency_filter", q.freshness());
        if (q.dateAfter() != null) body.put("search_after_date_filter", q.dateAfter().format(US_DATE));
        if (q.dateBefore() != null) body.put("search_before_date_filter", q.dateBefore().format(US_DATE));
        JsonNode data = post("perplexity", "Perplexity Search", endpoint(p.baseUrl(), "/search", Map.of()), p, body, timeout);
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode r : data.path("results")) {
            results.add(item(r.path("title").asText(""), r.path("url").asText(""), r.path("snippet").asText(""), first(r, "date")));
        }
        return results("perplexity", q.query(), results, count);
    }

    /** Chat completions of an OpenAI-compatible endpoint (OpenRouter's by default): one synthesised answer with citations. */
    private Map<String, Object> perplexityChat(SearchProvider.Perplexity p, Query q, Duration timeout) throws WebException, InterruptedException {
        String why = "is only supported by Perplexity's Search API; this provider uses chat completions (a baseUrl/model override or an OpenRouter key)";
        if (q.country() != null) throw new WebException("web_search: \"country\" " + why);
        if (q.language() != null) throw new WebException("web_search: \"language\" " + why);
        if (q.dateAfter() != null) throw new WebException("web_search: \"date_after\" " + why);
        if (q.dateBefore() != null) throw new WebException("web_search: \"date_before\" " + why);
        unsupported("perplexity", q.uiLang(), "ui_lang");
        unsupported("perplexity", q.searchLang(), "search_lang");
        String model = "api.perplexity.ai".equalsIgnoreCase(p.baseUrl().getHost()) && p.model().startsWith("perplexity/")
                ? p.model().substring("perplexity/".length()) : p.model();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", q.query());
        body.put("messages", List.of(message));
        if (q.freshness() != null) body.put("search_recency_filter", q.freshness());
        JsonNode data = post("perplexity", "Perplexity", endpoint(p.baseUrl(), "/chat/completions", Map.of()), p, body, timeout);
        String content = data.path("choices").path(0).path("message").path("content").asText("");
        if (content.isBlank()) throw new WebException("web_search (perplexity): the endpoint returned no answer; retry or choose another provider");
        Set<String> citations = new LinkedHashSet<>();
        data.path("citations").forEach(c -> citations.add(c.asText()));
        if (citations.isEmpty()) {
            for (JsonNode annotation : data.path("choices").path(0).path("message").path("annotations")) {
                if (!"url_citation".equals(annotation.path("type").asText())) continue;
                String url = annotation.path("url_citation").path("url").asText(annotation.path("url").asText(""));
                if (!url.isBlank()) citations.add(url);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "answer");
        out.put("provider", "perplexity");
        out.put("query", q.query());
        out.put("content", content);
        out.put("citations", citations.stream().filter(WebSearcher::isHttp).map(u -> Map.of("url", u)).toList());
        out.put("externalContent", external("perplexity"));
        return out;
    }

    private static void unsupported(String provider, Object value, String argument) throws WebException {
        if (value != null) throw new WebException("web_search: \"" + argument + "\" is not supported by " + provider + "; remove it");
    }

    private static Map<String, Object> item(String title, String url, String snippet, String published) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("title", title);
        out.put("url", url);
        if (snippet != null && !snippet.isBlank()) out.put("snippet", snippet);
        if (published != null && !published.isBlank()) out.put("published", published);
        try {
            String host = URI.create(url).getHost();
            if (host != null) out.put("siteName", host.startsWith("www.") ? host.substring(4) : host);
        } catch (IllegalArgumentException ignored) {
            // no site name for a URL that does not parse
        }
        return out;
    }

    private static Map<String, Object> results(String provider, String query, List<Map<String, Object>> all, int count) {
        List<Map<String, Object>> kept = all.stream().filter(r -> isHttp((String) r.get("url"))).limit(count).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "results");
        out.put("provider", provider);
        out.put("query", query);
        out.put("count", kept.size());
        out.put("results", kept);
        out.put("externalContent", external(provider));
        return out;
    }

    private static Map<String, Object> external(String provider) {
        return Map.of("untrusted", true, "source", "web_search", "provider", provider);
    }

    private static boolean isHttp(String url) {
        return url != null && (url.startsWith("https://") || url.startsWith("http://"));
    }

    private static String first(JsonNode node, String... names) {
        for (String name : names) {
            String value = node.path(name).asText("");
            if (!value.isBlank()) return value;
        }
        return null;
    }

    private static URI endpoint(URI base, String path, Map<String, String> params) {
        StringBuilder url = new StringBuilder(base.toString().replaceAll("/+$", "")).append(path);
        String separator = "?";
        for (Map.Entry<String, String> param : params.entrySet()) {
            url.append(separator).append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        return URI.create(url.toString());
    }

    private JsonNode get(String provider, String label, URI uri, Map<String, String> headers, Duration timeout)
            throws WebException, InterruptedException {
        return exchange(provider, label, "GET", uri, headers, null, timeout);
    }

    private JsonNode post(String provider, String label, URI uri, SearchProvider.Perplexity p, Map<String, Object> body, Duration timeout)
            throws WebException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + p.apiKey().reveal());
        headers.put("HTTP-Referer", "https://github.com/jclaw");
        headers.put("X-Title", "JClaw Web Search");
        try {
            return exchange(provider, label, "POST", uri, headers, JSON.writeValueAsBytes(body), timeout);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new WebException("web_search (" + provider + "): could not build the request: " + e.getOriginalMessage());
        }
    }

    /** One request to the provider's own endpoint: https anywhere, plain http only to this host or a private network. */
    private JsonNode exchange(String provider, String label, String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws WebException, InterruptedException {
        AddressPolicy policy = "http".equalsIgnoreCase(uri.getScheme()) ? AddressPolicy.privateOnly() : AddressPolicy.any();
        WebClient.Response response;
        try (WebClient client = WebClient.open(policy, resolver, null, timeout)) {
            response = client.send(method, uri, headers, body, "application/json", MAX_RESPONSE_BYTES, timeout);
        } catch (IOException e) {
            throw new WebException("web_search (" + provider + "): " + label + " could not be reached at " + uri.getHost() + ": " + e.getMessage());
        }
        if (response.status() / 100 != 2) {
            String hint = switch (response.status()) {
                case 401, 403 -> ": check the API key, or choose another provider";
                case 429 -> ": rate limited; try again later";
                default -> "";
            };
            throw new WebException("web_search (" + provider + "): " + label + " answered HTTP " + response.status() + hint);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new WebException("web_search (" + provider + "): " + label + " answered something that is not JSON");
        }
    }
}
