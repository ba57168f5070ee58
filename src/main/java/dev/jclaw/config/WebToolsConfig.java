package dev.jclaw.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tools.web}: web_fetch and web_search, with the search provider chosen and its credential resolved. */
public record WebToolsConfig(Fetch fetch, Search search) {
    public static final WebToolsConfig DEFAULT = new WebToolsConfig(Fetch.DEFAULT, Search.NONE);

    /**
     * {@code tools.web.fetch}.
     *
     * @param maxChars         characters returned when the call names none (at most {@code maxCharsCap})
     * @param maxCharsCap      the most a call may ask for
     * @param maxResponseBytes bytes read from a response at most (32,000 to 10,000,000); the rest is dropped with a warning
     * @param timeout          for the whole fetch, redirects included
     * @param cacheTtl         how long a fetched page is reused; zero disables the cache
     * @param userAgent        the User-Agent sent
     * @param headers          extra request headers (values are secrets: the model picks the URL they go to)
     * @param readability      extract the main content (article, main) instead of the whole body
     */
    public record Fetch(boolean enabled, int maxChars, int maxCharsCap, int maxResponseBytes, Duration timeout, Duration cacheTtl,
                        int maxRedirects, String userAgent, Map<String, Secret> headers, boolean readability, SsrfPolicy ssrfPolicy) {
        public static final String DEFAULT_USER_AGENT =
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36";
        public static final Fetch DEFAULT = new Fetch(true, 20_000, 20_000, 750_000, Duration.ofSeconds(30), Duration.ofMinutes(15),
                3, DEFAULT_USER_AGENT, Map.of(), true, SsrfPolicy.DEFAULT);

        public Fetch {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    /**
     * {@code tools.web.fetch.ssrfPolicy}: which addresses web_fetch may reach besides public ones.
     *
     * @param dangerouslyAllowPrivateNetwork every private, loopback and link-local address (never the blocked hostnames)
     * @param allowRfc2544BenchmarkRange     198.18.0.0/15, used by fake-IP proxies
     * @param allowIpv6UniqueLocalRange      fc00::/7, used by fake-IP proxies
     * @param allowedHostnames               exact hosts allowed whatever they resolve to
     * @param blockedHostnames               exact hosts, or {@code *.example.com} for its subdomains, always refused
     */
    public record SsrfPolicy(boolean dangerouslyAllowPrivateNetwork, boolean allowRfc2544BenchmarkRange, boolean allowIpv6UniqueLocalRange,
                             List<String> allowedHostnames, List<String> blockedHostnames) {
        public static final SsrfPolicy DEFAULT = new SsrfPolicy(false, false, false, List.of(), List.of());

        public SsrfPolicy {
            allowedHostnames = List.copyOf(allowedHostnames);
            blockedHostnames = List.copyOf(blockedHostnames);
        }
    }

    /**
     * {@code tools.web.search}.
     *
     * @param provider   the provider in effect (named, or found by OpenClaw's auto-detection order), or null when none is usable
     * @param unavailable why there is no provider, for the model and {@code tools.effective}; null when there is one
     */
    public record Search(boolean enabled, SearchProvider provider, String unavailable, int maxResults, Duration timeout, Duration cacheTtl) {
        public static final Search NONE = new Search(true, null,
                "no web_search provider is configured: set plugins.entries.brave.config.webSearch.apiKey (or BRAVE_API_KEY), "
                        + "plugins.entries.perplexity.config.webSearch (or PERPLEXITY_API_KEY / OPENROUTER_API_KEY), "
                        + "or plugins.entries.searxng.config.webSearch.baseUrl (or SEARXNG_BASE_URL)",
                5, Duration.ofSeconds(30), Duration.ofMinutes(15));
    }

    /** A web_search provider JClaw speaks, configured as OpenClaw's plugin of the same id is. */
    public sealed interface SearchProvider {
        String id();

        /** Brave Search API ({@code plugins.entries.brave.config.webSearch}); key from there or {@code BRAVE_API_KEY}. */
        record Brave(Secret apiKey, BraveMode mode, URI baseUrl) implements SearchProvider {
            public static final URI DEFAULT_BASE_URL = URI.create("https://api.search.brave.com");

            @Override
            public String id() {
                return "brave";
            }
        }

        /** A SearXNG instance's JSON API ({@code plugins.entries.searxng.config.webSearch}, or {@code SEARXNG_BASE_URL}). */
        record SearXng(URI baseUrl, String categories, String language) implements SearchProvider {
            @Override
            public String id() {
                return "searxng";
            }
        }

        /**
         * Perplexity ({@code plugins.entries.perplexity.config.webSearch}): its Search API with a Perplexity key and no
         * override; else OpenAI-compatible chat completions at {@code baseUrl} (OpenRouter by default) with {@code model}.
         */
        record Perplexity(Secret apiKey, URI baseUrl, String model, boolean searchApi) implements SearchProvider {
            public static final URI DIRECT_BASE_URL = URI.create("https://api.perplexity.ai");
            public static final URI OPENROUTER_BASE_URL = URI.create("https://openrouter.ai/api/v1");
            public static final String DEFAULT_MODEL = "perplexity/sonar-pro";

            @Override
            public String id() {
                return "perplexity";
            }
        }
    }

    /** Brave's two endpoints: web results, or pre-extracted text for grounding. */
    public enum BraveMode {
        WEB("web"), LLM_CONTEXT("llm-context");

        private final String wire;

        BraveMode(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
