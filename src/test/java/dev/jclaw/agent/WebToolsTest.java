package dev.jclaw.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jclaw.bench.ScriptedProviderServer.Reply;
import dev.jclaw.bench.ScriptedRequest;
import dev.jclaw.web.LocalHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** web_fetch and web_search as a model uses them: a real run against real local HTTP servers. */
class WebToolsTest extends EngineTestSupport {
    private LocalHttpServer web;

    @BeforeEach
    void site() throws Exception {
        web = new LocalHttpServer()
                .route("/page", s -> LocalHttpServer.Answer.of(200, "text/html", "<html><head><title>Hi</title></head><body><main><h2>Hello</h2>"
                        + "<p>from the <i>local</i> site</p></main></body></html>"))
                .route("/secret", s -> LocalHttpServer.Answer.of(200, "text/plain", "TOP SECRET"))
                .route("/sneaky", s -> LocalHttpServer.Answer.redirect(302, web.url("127.0.0.1", "/secret")))
                .route("/search", s -> LocalHttpServer.Answer.of(200, "application/json",
                        "{\"results\":[{\"title\":\"Otters\",\"url\":\"https://otters.example/\",\"content\":\"about " + s.query().get("q") + "\"}]}"));
    }

    @AfterEach
    void closeSite() throws Exception {
        web.close();
    }

    private void start(String extra) throws Exception {
        engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  tools: { web: { fetch: { ssrfPolicy: { allowedHostnames: ["localhost"] } } } },
                  %s
                  agents: { list: [ { id: "main", model: "scripted/m1", workspace: "${DIR}/workspace" } ] },
                }
                """.formatted(extra));
    }

    /** One run whose model makes these calls in turn; returns what each call gave back to the model. */
    private List<ScriptedRequest.ToolResult> calls(Reply.Call... script) throws Exception {
        Deque<Reply.Call> queue = new ArrayDeque<>(List.of(script));
        provider.script(r -> queue.isEmpty() ? Reply.text("done") : Reply.toolCall(queue.peek().name(), queue.poll().arguments()));
        RunResult run = engine.agents().run(RunRequest.of("main", "go"));
        assertThat(run.status()).as(run.error()).isEqualTo(RunResult.Status.OK);
        return provider.requests().getLast().toolResults();
    }

    @Test
    void webFetchReadsALocalPageAndRefusesARedirectIntoLoopback() throws Exception {
        start("");

        List<ScriptedRequest.ToolResult> results = calls(
                new Reply.Call("web_fetch", "{\"url\":\"" + web.url("localhost", "/page") + "\"}"),
                new Reply.Call("web_fetch", "{\"url\":\"" + web.url("localhost", "/sneaky") + "\"}"),
                new Reply.Call("web_fetch", "{\"url\":\"gopher://localhost/\"}"),
                new Reply.Call("web_fetch", "{\"url\":\"" + web.url("localhost", "/page") + "\",\"extractMode\":\"pdf\"}"));

        JsonNode page = new ObjectMapper().readTree(results.get(0).content());
        assertThat(page.path("title").asText()).isEqualTo("Hi");
        assertThat(page.path("text").asText()).isEqualTo("## Hello\n\nfrom the *local* site");
        assertThat(results.get(1).content()).isEqualTo("web_fetch: \"url\": redirect to " + web.url("127.0.0.1", "/secret")
                + " refused: 127.0.0.1 is a loopback address; web_fetch reaches public addresses only "
                + "(tools.web.fetch.ssrfPolicy.allowedHostnames can allow a trusted host)");
        assertThat(results.get(2).content()).isEqualTo("web_fetch: \"url\" must be an http:// or https:// URL, got scheme \"gopher\"");
        assertThat(results.get(3).content()).isEqualTo("web_fetch: \"extractMode\" must be one of [markdown, text], got \"pdf\"");
        assertThat(web.hits("/secret")).isZero();
    }

    @Test
    void webSearchUsesTheSearxngInstanceTheConfigNames() throws Exception {
        start("plugins: { entries: { searxng: { config: { webSearch: { baseUrl: \"" + web.url("127.0.0.1", "") + "\" } } } } },");

        List<ScriptedRequest.ToolResult> results = calls(new Reply.Call("web_search", "{\"query\":\"river otters\",\"count\":1}"),
                new Reply.Call("web_search", "{\"query\":\"x\",\"date_after\":\"yesterday\"}"));

        JsonNode found = new ObjectMapper().readTree(results.get(0).content());
        assertThat(found.path("kind").asText()).isEqualTo("results");
        assertThat(found.path("provider").asText()).isEqualTo("searxng");
        assertThat(found.path("results").path(0).path("snippet").asText()).isEqualTo("about river otters");
        assertThat(results.get(1).content()).isEqualTo("web_search: \"date_after\" must be a date as YYYY-MM-DD, got yesterday");
    }

    @Test
    void withoutASearchProviderWebSearchSaysWhatToConfigureAndSwitchedOffItIsNotOffered() throws Exception {
        start("");

        List<ScriptedRequest.ToolResult> results = calls(new Reply.Call("web_search", "{\"query\":\"otters\"}"));

        assertThat(results.getFirst().content()).startsWith("web_search is unavailable: no web_search provider is configured: "
                + "set plugins.entries.brave.config.webSearch.apiKey (or BRAVE_API_KEY)");
        engine.close();
        engine = null;
        engine("""
                {
                  models: { providers: { scripted: { api: "openai-completions", baseUrl: "${PROVIDER}", apiKey: "test" } } },
                  tools: { web: { search: { enabled: false }, fetch: { enabled: false } } },
                  agents: { list: [ { id: "main", model: "scripted/m1", workspace: "${DIR}/workspace" } ] },
                }
                """);
        calls();
        assertThat(provider.requests().getLast().toolNames()).contains("read").doesNotContain("web_search", "web_fetch");
    }
}
