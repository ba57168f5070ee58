package dev.jclaw.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** tools.fs, tools.exec.applyPatch, tools.web and the search plugins' blocks: defaults, mapping, strict checking. */
class ToolsSettingsTest {
    @TempDir
    Path home;

    private ConfigResult parse(String text, String... env) {
        return ConfigLoader.parse(text, home.resolve("jclaw.json"), TestEnv.of(home, env));
    }

    private JClawConfig valid(String text, String... env) {
        ConfigResult result = parse(text, env);
        assertThat(result).as(result.toString()).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) result).config();
    }

    private List<String> errors(String text, String... env) {
        ConfigResult result = parse(text, env);
        assertThat(result).as("expected errors").isInstanceOf(ConfigResult.Invalid.class);
        return ((ConfigResult.Invalid) result).errors().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void defaultsAreClosedForFilesAndOpenClawsForTheWeb() {
        JClawConfig c = valid("{}");

        assertThat(c.tools().files()).isEqualTo(FileToolsConfig.DEFAULT);
        assertThat(c.tools().files().workspaceOnly()).isTrue();
        assertThat(c.tools().files().applyPatchConfined()).isTrue();
        WebToolsConfig.Fetch fetch = c.tools().web().fetch();
        assertThat(fetch.maxChars()).isEqualTo(20_000);
        assertThat(fetch.maxResponseBytes()).isEqualTo(750_000);
        assertThat(fetch.maxRedirects()).isEqualTo(3);
        assertThat(fetch.ssrfPolicy().dangerouslyAllowPrivateNetwork()).isFalse();
        assertThat(c.tools().web().search().provider()).isNull();
        assertThat(c.tools().web().search().unavailable()).contains("BRAVE_API_KEY").contains("SEARXNG_BASE_URL");
    }

    @Test
    void everyKeyIsReadIntoTheModel() {
        JClawConfig c = valid("""
                {
                  tools: {
                    fs: { workspaceOnly: false },
                    exec: { applyPatch: { enabled: true, workspaceOnly: false, allowModels: ["gpt-5.4", "anthropic/claude-x"] } },
                    web: {
                      fetch: { maxChars: 5000, maxCharsCap: 8000, maxResponseBytes: 64000, timeoutSeconds: 7, cacheTtlMinutes: 0,
                               maxRedirects: 1, userAgent: "ua/1", headers: { "X-Route": "${ROUTE}" }, readability: false,
                               ssrfPolicy: { allowedHostnames: ["Intranet.Example."], blockedHostnames: ["*.ads.example"],
                                             allowRfc2544BenchmarkRange: true } },
                      search: { provider: "searxng", maxResults: 7, timeoutSeconds: 9 },
                    },
                  },
                  plugins: { entries: { searxng: { config: { webSearch: { baseUrl: "http://127.0.0.1:8888/", categories: "news", language: "de" } } } } },
                }
                """, "ROUTE", "blue");

        FileToolsConfig files = c.tools().files();
        assertThat(files.workspaceOnly()).isFalse();
        assertThat(files.applyPatchConfined()).isFalse();
        assertThat(files.applyPatch().allows(new ModelRef("openai", "gpt-5.4"))).isTrue();
        assertThat(files.applyPatch().allows(new ModelRef("anthropic", "claude-x"))).isTrue();
        assertThat(files.applyPatch().allows(new ModelRef("openai", "gpt-4o"))).isFalse();
        WebToolsConfig.Fetch fetch = c.tools().web().fetch();
        assertThat(fetch.maxChars()).isEqualTo(5000);
        assertThat(fetch.maxCharsCap()).isEqualTo(8000);
        assertThat(fetch.maxResponseBytes()).isEqualTo(64000);
        assertThat(fetch.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(fetch.cacheTtl()).isZero();
        assertThat(fetch.headers()).containsEntry("X-Route", Secret.of("blue"));
        assertThat(fetch.readability()).isFalse();
        assertThat(fetch.ssrfPolicy().allowedHostnames()).containsExactly("intranet.example");
        assertThat(fetch.ssrfPolicy().blockedHostnames()).containsExactly("*.ads.example");
        assertThat(fetch.ssrfPolicy().allowRfc2544BenchmarkRange()).isTrue();
        WebToolsConfig.Search search = c.tools().web().search();
        assertThat(search.provider()).isEqualTo(new WebToolsConfig.SearchProvider.SearXng(URI.create("http://127.0.0.1:8888"), "news", "de"));
        assertThat(search.maxResults()).isEqualTo(7);
        assertThat(c.toRedactedJson()).doesNotContain("blue");
    }

    @Test
    void searchProvidersAreFoundInOpenClawsOrderFromConfigOrEnvironment() {
        assertThat(valid("{}", "SEARXNG_BASE_URL", "http://127.0.0.1:9/").tools().web().search().provider())
                .isInstanceOf(WebToolsConfig.SearchProvider.SearXng.class);
        assertThat(valid("{}", "SEARXNG_BASE_URL", "http://127.0.0.1:9/", "OPENROUTER_API_KEY", "sk-or-1").tools().web().search().provider())
                .isEqualTo(new WebToolsConfig.SearchProvider.Perplexity(Secret.of("sk-or-1"),
                        WebToolsConfig.SearchProvider.Perplexity.OPENROUTER_BASE_URL, "perplexity/sonar-pro", false));
        assertThat(valid("{}", "PERPLEXITY_API_KEY", "pplx-1", "BRAVE_API_KEY", "bsa-1").tools().web().search().provider())
                .isEqualTo(new WebToolsConfig.SearchProvider.Brave(Secret.of("bsa-1"), WebToolsConfig.BraveMode.WEB,
                        WebToolsConfig.SearchProvider.Brave.DEFAULT_BASE_URL));
        var perplexity = valid("{plugins: {entries: {perplexity: {config: {webSearch: {apiKey: 'pplx-2'}}}}}}").tools().web().search().provider();
        assertThat(perplexity).isEqualTo(new WebToolsConfig.SearchProvider.Perplexity(Secret.of("pplx-2"),
                WebToolsConfig.SearchProvider.Perplexity.DIRECT_BASE_URL, "perplexity/sonar-pro", true));
        var compatible = valid("{plugins: {entries: {perplexity: {config: {webSearch: {apiKey: 'k', baseUrl: 'https://llm.example/v1', model: 'm'}}}}}}")
                .tools().web().search().provider();
        assertThat(compatible).isEqualTo(new WebToolsConfig.SearchProvider.Perplexity(Secret.of("k"), URI.create("https://llm.example/v1"), "m", false));
        JClawConfig disabled = valid("{plugins: {deny: ['brave']}}", "BRAVE_API_KEY", "bsa-1");
        assertThat(disabled.tools().web().search().provider()).isNull();
        JClawConfig named = valid("{tools: {web: {search: {provider: 'brave'}}}}");
        assertThat(named.tools().web().search().unavailable()).isEqualTo(
                "web_search (brave): it needs a Brave Search API key: set plugins.entries.brave.config.webSearch.apiKey or BRAVE_API_KEY");
    }

    @Test
    void theseSectionsAreStrictLikeOpenClawsSchemaEveryErrorWithItsPath() {
        List<String> errors = errors("""
                {
                  tools: {
                    fs: { workspaceOnyl: true, readOnly: true },
                    exec: { applyPatch: { enable: false, allowModels: "gpt" } },
                    web: {
                      fetch: { maxChars: -1, bogus: 1, ssrfPolicy: { allowPrivate: true } },
                      search: { provider: "brvae", apiKey: "k", maxResults: 11 },
                    },
                  },
                  plugins: { entries: { brave: { config: { webSearch: { mode: "fast", key: "x", baseUrl: "ftp://x" } } } } },
                }
                """);

        assertThat(errors).containsExactlyInAnyOrder(
                "tools.fs.workspaceOnyl: unknown key; did you mean \"workspaceOnly\"?",
                "tools.fs.readOnly: unknown key (neither JClaw nor OpenClaw has it here)",
                "tools.exec.applyPatch.enable: unknown key; did you mean \"enabled\"?",
                "tools.exec.applyPatch.allowModels: expected an array of strings, got \"gpt\"",
                "tools.web.fetch.maxChars: expected a whole number from 1 to 2147483647, got -1",
                "tools.web.fetch.bogus: unknown key (neither JClaw nor OpenClaw has it here)",
                "tools.web.fetch.ssrfPolicy.allowPrivate: unknown key (neither JClaw nor OpenClaw has it here)",
                "tools.web.search.provider: unknown web_search provider \"brvae\"; expected one of brave, perplexity, searxng (or omit it to pick the first one configured)",
                "tools.web.search.apiKey: legacy web_search provider config must use plugins.entries.<plugin>.config.webSearch",
                "tools.web.search.maxResults: expected a whole number from 1 to 10, got 11",
                "plugins.entries.brave.config.webSearch.mode: expected one of \"web\", \"llm-context\"; got \"fast\"",
                "plugins.entries.brave.config.webSearch.key: unknown key (neither JClaw nor OpenClaw has it here)",
                "plugins.entries.brave.config.webSearch.baseUrl: expected an http:// or https:// URL, got \"ftp://x\"");
    }

    @Test
    void openClawSettingsJClawDoesNotActOnAreWarnings() {
        ConfigResult result = parse("""
                {
                  tools: { exec: { security: "full" }, web: { fetch: { provider: "firecrawl" }, search: { provider: "gemini", somethingNew: 1 } } },
                  plugins: { enabled: true, load: { paths: [] }, entries: { telegram: { enabled: true } } },
                }
                """);

        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        assertThat(result.warnings()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "tools.exec.security: OpenClaw setting not implemented by JClaw; ignored",
                "tools.web.fetch.provider: OpenClaw setting not implemented by JClaw; ignored",
                "tools.web.search.provider: \"gemini\" is an OpenClaw search provider JClaw does not speak (it speaks brave, perplexity, searxng); web_search is unavailable",
                "tools.web.search.somethingNew: unknown key; ignored",
                "plugins.load: OpenClaw setting not implemented by JClaw; ignored",
                "plugins.entries.telegram: plugin not implemented by JClaw; ignored");
    }
}
