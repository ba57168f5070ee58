package dev.jclaw.web;

import dev.jclaw.config.Secret;
import dev.jclaw.config.WebToolsConfig;
import dev.jclaw.config.WebToolsConfig.SearchProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * web_search against local fakes of Brave's, SearXNG's and Perplexity's HTTP APIs (ours, speaking their
 * wire formats on 127.0.0.1): the requests they receive and the normalised results.
 */
class WebSearchTest {
    private LocalHttpServer server;
    private final Duration budget = Duration.ofSeconds(120);

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer();
        server.route("/res/v1/web/search", s -> "bsa-key".equals(s.headers().get("x-subscription-token"))
                ? LocalHttpServer.Answer.of(200, "application/json", """
                  {"type":"search","web":{"results":[
                    {"title":"Otter - Wikipedia","url":"https://en.wikipedia.org/wiki/Otter","description":"Otters are carnivorous mammals.","page_age":"2024-05-01T00:00:00"},
                    {"title":"Sea otter facts","url":"https://www.example.org/sea-otter","description":"Facts."},
                    {"title":"Not a web result","url":"javascript:alert(1)","description":"dropped"}]}}""")
                : LocalHttpServer.Answer.of(401, "application/json", "{\"error\":\"bad key\"}"))
                .route("/res/v1/llm/context", s -> LocalHttpServer.Answer.of(200, "application/json", """
                  {"grounding":{"generic":[{"url":"https://a.example/otters","title":"A","snippets":["one","two"]}]},"sources":{}}"""))
                .route("/search", s -> LocalHttpServer.Answer.of(200, "application/json", """
                  {"query":"otters","results":[
                    {"title":"Otters at SearXNG","url":"https://otters.example/","content":"All about otters","engine":"duckduckgo","publishedDate":null},
                    {"title":"Second","url":"https://two.example/","content":"2"}]}"""))
                .route("/chat/completions", s -> LocalHttpServer.Answer.of(200, "application/json", """
                  {"id":"x","model":"perplexity/sonar-pro","choices":[{"index":0,"message":{"role":"assistant","content":"Otters eat fish [1]."}}],
                   "citations":["https://cite.example/1","ftp://not-http.example/"]}"""))
                .route("/api/search", s -> LocalHttpServer.Answer.of(200, "application/json", """
                  {"results":[{"title":"P","url":"https://p.example/","snippet":"perplexed","date":"2025-01-02"}]}"""));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private WebToolsConfig.Search config(SearchProvider provider) {
        return new WebToolsConfig.Search(true, provider, null, 5, Duration.ofSeconds(120), Duration.ZERO);
    }

    private static WebSearcher.Query query(String text) {
        return new WebSearcher.Query(text, null, null, null, null, null, null, null, null, null);
    }

    private URI base() {
        return URI.create(server.url("127.0.0.1", ""));
    }

    @Test
    void braveGetsItsParametersAndKeyAndResultsAreNormalised() throws Exception {
        SearchProvider brave = new SearchProvider.Brave(Secret.of("bsa-key"), WebToolsConfig.BraveMode.WEB, base());

        Map<String, Object> result = new WebSearcher().search(config(brave),
                new WebSearcher.Query("otters", 3, "de", "de", null, "de-DE", "week", null, null, null), budget);

        LocalHttpServer.Seen request = server.seen().getLast();
        assertThat(request.query()).containsEntry("q", "otters").containsEntry("count", "3").containsEntry("country", "DE")
                .containsEntry("search_lang", "de").containsEntry("ui_lang", "de-DE").containsEntry("freshness", "pw");
        assertThat(result).containsEntry("kind", "results").containsEntry("provider", "brave").containsEntry("query", "otters")
                .containsEntry("count", 2);
        assertThat(result.get("results")).isEqualTo(List.of(
                Map.of("title", "Otter - Wikipedia", "url", "https://en.wikipedia.org/wiki/Otter", "snippet", "Otters are carnivorous mammals.",
                        "published", "2024-05-01T00:00:00", "siteName", "en.wikipedia.org"),
                Map.of("title", "Sea otter facts", "url", "https://www.example.org/sea-otter", "snippet", "Facts.", "siteName", "example.org")));
        assertThat(result.get("externalContent")).isEqualTo(Map.of("untrusted", true, "source", "web_search", "provider", "brave"));
    }

    @Test
    void braveDateRangesAndLlmContextMode() throws Exception {
        SearchProvider brave = new SearchProvider.Brave(Secret.of("bsa-key"), WebToolsConfig.BraveMode.LLM_CONTEXT, base());

        Map<String, Object> result = new WebSearcher().search(config(brave), new WebSearcher.Query("otters", null, null, null, null, null, null,
                LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 30), null), budget);

        assertThat(server.seen().getLast().path()).isEqualTo("/res/v1/llm/context");
        assertThat(server.seen().getLast().query()).containsEntry("freshness", "2024-01-01to2024-06-30");
        assertThat(result.get("results")).isEqualTo(List.of(Map.of("title", "A", "url", "https://a.example/otters", "snippet", "one\ntwo",
                "siteName", "a.example")));
        assertThatThrownBy(() -> new WebSearcher().search(config(brave), new WebSearcher.Query("x", null, null, null, null, "en-US", null, null, null, null), budget))
                .hasMessage("web_search: \"ui_lang\" is not supported by Brave's llm-context mode; remove it");
    }

    @Test
    void aRejectedKeyIsReportedWithoutTheKey() {
        SearchProvider brave = new SearchProvider.Brave(Secret.of("wrong-key-123"), WebToolsConfig.BraveMode.WEB, base());

        assertThatThrownBy(() -> new WebSearcher().search(config(brave), query("otters"), budget))
                .hasMessage("web_search (brave): Brave Search answered HTTP 401: check the API key, or choose another provider")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-key-123"));
    }

    @Test
    void searxngGetsJsonFormatCategoriesAndLanguage() throws Exception {
        SearchProvider searxng = new SearchProvider.SearXng(base(), "news", "en");

        Map<String, Object> result = new WebSearcher().search(config(searxng), new WebSearcher.Query("otters", 1, null, null, null, null, null, null, null, null), budget);

        assertThat(server.seen().getLast().query()).containsEntry("format", "json").containsEntry("categories", "news").containsEntry("language", "en");
        assertThat(result.get("results")).isEqualTo(List.of(Map.of("title", "Otters at SearXNG", "url", "https://otters.example/",
                "snippet", "All about otters", "siteName", "otters.example")));
        assertThatThrownBy(() -> new WebSearcher().search(config(searxng), new WebSearcher.Query("x", null, null, null, null, null, "day", null, null, null), budget))
                .hasMessage("web_search: \"freshness\" is not supported by searxng; remove it");
    }

    @Test
    void anOpenAiCompatibleEndpointAnswersWithCitations() throws Exception {
        SearchProvider compatible = new SearchProvider.Perplexity(Secret.of("sk-or-1"), base(), "perplexity/sonar-pro", false);

        Map<String, Object> result = new WebSearcher().search(config(compatible), new WebSearcher.Query("what do otters eat", null, null, null,
                null, null, "month", null, null, null), budget);

        LocalHttpServer.Seen request = server.seen().getLast();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.headers()).containsEntry("authorization", "Bearer sk-or-1");
        assertThat(request.body()).isEqualTo("{\"model\":\"perplexity/sonar-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"what do otters eat\"}],"
                + "\"search_recency_filter\":\"month\"}");
        assertThat(result).containsEntry("kind", "answer").containsEntry("content", "Otters eat fish [1].")
                .containsEntry("citations", List.of(Map.of("url", "https://cite.example/1")));
        assertThatThrownBy(() -> new WebSearcher().search(config(compatible), new WebSearcher.Query("x", null, "US", null, null, null, null, null, null, null), budget))
                .hasMessageStartingWith("web_search: \"country\" is only supported by Perplexity's Search API");
    }

    @Test
    void perplexitysSearchApiGetsItsFilters() throws Exception {
        SearchProvider perplexity = new SearchProvider.Perplexity(Secret.of("pplx-1"), URI.create(server.url("127.0.0.1", "/api")), "unused", true);

        Map<String, Object> result = new WebSearcher().search(config(perplexity), new WebSearcher.Query("otters", 2, "us", "en", null, null, null,
                LocalDate.of(2025, 1, 1), null, null), budget);

        assertThat(server.seen().getLast().body()).isEqualTo("{\"query\":\"otters\",\"max_results\":2,\"country\":\"US\","
                + "\"search_language_filter\":[\"en\"],\"search_after_date_filter\":\"01/01/2025\"}");
        assertThat(result.get("results")).isEqualTo(List.of(Map.of("title", "P", "url", "https://p.example/", "snippet", "perplexed",
                "published", "2025-01-02", "siteName", "p.example")));
    }

    @Test
    void plainHttpEndpointsMustStayOnPrivateNetworks() {
        WebSearcher searcher = new WebSearcher(host -> List.of(host.equals("search.example") ? InetAddress.getByName("93.184.216.34")
                : InetAddress.getByName(host)));
        SearchProvider publicHttp = new SearchProvider.SearXng(URI.create("http://search.example:" + server.port()), null, null);

        assertThatThrownBy(() -> searcher.search(config(publicHttp), query("otters"), budget))
                .hasMessageContaining("search.example resolves to the public address 93.184.216.34: a plain http:// endpoint must be on this host "
                        + "or a private network; use https://");
    }

    @Test
    void noProviderSaysWhatToConfigure() {
        assertThatThrownBy(() -> new WebSearcher().search(WebToolsConfig.Search.NONE, query("otters"), budget))
                .hasMessageStartingWith("web_search is unavailable: no web_search provider is configured: set plugins.entries.brave.config.webSearch.apiKey");
    }
}
