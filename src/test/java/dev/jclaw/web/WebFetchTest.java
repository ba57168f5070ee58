package dev.jclaw.web;

import dev.jclaw.config.Secret;
import dev.jclaw.config.WebToolsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** web_fetch against a real local server: extraction, caps, and every way a request could be steered to a private address. */
class WebFetchTest {
    static final String ARTICLE = """
            <!doctype html><html><head><title>Otters &amp; rivers</title><script>var secret = "tracking";</script>
            <style>body { color: red }</style></head>
            <body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
            <header>Site banner</header>
            <article><h1>Otters</h1><p>Otters live in <a href="/rivers">rivers</a> and eat <b>fish</b>.</p>
            <ul><li>Sea otters</li><li>River otters</li></ul><pre><code>swim();</code></pre></article>
            <aside>Buy now</aside><footer>Copyright</footer></body></html>""";

    private LocalHttpServer server;
    /** Bounds, not expectations: generous enough for a loaded machine's first request (class loading, TLS set-up). */
    private final Duration budget = Duration.ofSeconds(120);

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer();
        server.route("/article", s -> LocalHttpServer.Answer.of(200, "text/html; charset=utf-8", ARTICLE))
                .route("/secret", s -> LocalHttpServer.Answer.of(200, "text/plain", "TOP SECRET"))
                .route("/to-loopback", s -> LocalHttpServer.Answer.redirect(302, server.url("127.0.0.1", "/secret")))
                .route("/to-ipv6-loopback", s -> LocalHttpServer.Answer.redirect(301, "http://[::1]:" + server.port() + "/secret"))
                .route("/to-metadata", s -> LocalHttpServer.Answer.redirect(307, "http://169.254.169.254/latest/meta-data/"))
                .route("/to-rebound", s -> LocalHttpServer.Answer.redirect(302, server.url("rebound.example", "/secret")))
                .route("/to-file", s -> LocalHttpServer.Answer.redirect(302, "file:///etc/passwd"))
                .route("/loop", s -> LocalHttpServer.Answer.redirect(302, "/loop"))
                .route("/hop", s -> LocalHttpServer.Answer.redirect(303, "/article"))
                .route("/big", s -> LocalHttpServer.Answer.of(200, "text/plain", "0123456789".repeat(10_000)))
                .route("/logo.png", s -> new LocalHttpServer.Answer(200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Map.of()))
                .route("/json", s -> LocalHttpServer.Answer.of(200, "application/json", "{\"ok\":true}"))
                .route("/gone", s -> LocalHttpServer.Answer.of(410, "text/html", "<html><body><p>This page is gone.</p></body></html>"))
                .route("/headers", s -> LocalHttpServer.Answer.of(200, "text/plain", String.valueOf(s.headers().get("x-route"))));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static WebToolsConfig.Fetch config(WebToolsConfig.SsrfPolicy policy) {
        WebToolsConfig.Fetch d = WebToolsConfig.Fetch.DEFAULT;
        return new WebToolsConfig.Fetch(true, d.maxChars(), d.maxCharsCap(), 40_000, Duration.ofSeconds(120), Duration.ZERO, 3, d.userAgent(),
                Map.of("X-Route", Secret.of("blue")), true, policy);
    }

    private static WebToolsConfig.SsrfPolicy allow(String... hosts) {
        return new WebToolsConfig.SsrfPolicy(false, false, false, List.of(hosts), List.of());
    }

    /** A resolver that knows two public-looking names, one pointing at this machine. */
    private static WebFetcher fetcherWith(Map<String, String> names) {
        return new WebFetcher(host -> {
            String address = names.get(host);
            return List.of(address != null ? InetAddress.getByName(address) : InetAddress.getByName(host));
        });
    }

    @Test
    void anArticleBecomesMarkdownWithoutTheSiteAroundIt() throws Exception {
        Map<String, Object> result = new WebFetcher().fetch(config(allow("localhost")), server.url("localhost", "/article"),
                WebFetcher.Mode.MARKDOWN, null, budget);

        assertThat(result).containsEntry("status", 200).containsEntry("title", "Otters & rivers").containsEntry("extractor", "readability")
                .containsEntry("truncated", false).containsEntry("extractMode", "markdown");
        String text = (String) result.get("text");
        assertThat(text).contains("# Otters").contains("[rivers](" + server.url("localhost", "/rivers") + ")").contains("**fish**")
                .contains("* Sea otters").contains("swim();");
        assertThat(text).doesNotContain("Home").doesNotContain("tracking").doesNotContain("Buy now").doesNotContain("Copyright")
                .doesNotContain("color: red");
    }

    @Test
    void textModeKeepsTheWordsAndBlocks() throws Exception {
        Map<String, Object> result = new WebFetcher().fetch(config(allow("localhost")), server.url("localhost", "/hop"),
                WebFetcher.Mode.TEXT, null, budget);

        assertThat(result.get("finalUrl")).isEqualTo(server.url("localhost", "/article"));
        assertThat((String) result.get("text")).startsWith("Otters\nOtters live in rivers and eat fish.\nSea otters\nRiver otters");
    }

    @Test
    void loopbackIsRefusedByDefaultBeforeAnyRequestIsSent() {
        assertThatThrownBy(() -> new WebFetcher().fetch(config(WebToolsConfig.SsrfPolicy.DEFAULT), server.url("127.0.0.1", "/secret"),
                WebFetcher.Mode.TEXT, null, budget))
                .isInstanceOf(WebException.class)
                .hasMessage("web_fetch: \"url\": 127.0.0.1 is a loopback address; web_fetch reaches public addresses only "
                        + "(tools.web.fetch.ssrfPolicy.allowedHostnames can allow a trusted host)");
        assertThatThrownBy(() -> new WebFetcher().fetch(config(WebToolsConfig.SsrfPolicy.DEFAULT), server.url("localhost", "/secret"),
                WebFetcher.Mode.TEXT, null, budget)).hasMessageContaining("localhost is an internal host name");
        assertThat(server.hits("/secret")).isZero();
    }

    @Test
    void redirectsIntoPrivateAddressesAreRefusedAtEveryHop() {
        for (String path : List.of("/to-loopback", "/to-ipv6-loopback", "/to-metadata")) {
            assertThatThrownBy(() -> new WebFetcher().fetch(config(allow("localhost")), server.url("localhost", path), WebFetcher.Mode.TEXT, null, budget))
                    .as(path).isInstanceOf(WebException.class).hasMessageContaining("redirect to ").hasMessageContaining(" refused: ");
        }
        assertThatThrownBy(() -> new WebFetcher().fetch(config(allow("localhost")), server.url("localhost", "/to-metadata"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageContaining("169.254.169.254 is a cloud metadata address");
        assertThat(server.hits("/secret")).as("the private target never got a request").isZero();
    }

    @Test
    void aPublicNameThatResolvesToLoopbackIsRefusedByTheAddressItResolvedTo() throws Exception {
        WebFetcher fetcher = fetcherWith(Map.of("rebound.example", "127.0.0.1", "public.example", "127.0.0.1"));

        assertThatThrownBy(() -> fetcher.fetch(config(allow("public.example")), server.url("public.example", "/to-rebound"),
                WebFetcher.Mode.TEXT, null, budget))
                .hasMessage("web_fetch: \"url\": redirect to " + server.url("rebound.example", "/secret")
                        + " refused: rebound.example (127.0.0.1) is a loopback address; web_fetch reaches public addresses only "
                        + "(tools.web.fetch.ssrfPolicy.allowedHostnames can allow a trusted host)");
        assertThat(server.hits("/secret")).isZero();
        // allowed by name, the connection goes to the very address that name resolved to: this server
        Map<String, Object> allowed = fetcher.fetch(config(allow("public.example")), server.url("public.example", "/secret"),
                WebFetcher.Mode.TEXT, null, budget);
        assertThat(allowed.get("text")).isEqualTo("TOP SECRET");
    }

    @Test
    void blockedHostnamesWinOverEverything() {
        WebToolsConfig.SsrfPolicy policy = new WebToolsConfig.SsrfPolicy(true, false, false, List.of("localhost"), List.of("*.tracker.example", "localhost"));
        WebFetcher fetcher = fetcherWith(Map.of("ads.tracker.example", "127.0.0.1"));

        assertThatThrownBy(() -> fetcher.fetch(config(policy), server.url("localhost", "/article"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageContaining("localhost is blocked by tools.web.fetch.ssrfPolicy.blockedHostnames");
        assertThatThrownBy(() -> fetcher.fetch(config(policy), server.url("ads.tracker.example", "/article"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageContaining("ads.tracker.example is blocked");
    }

    @Test
    void badUrlsSchemesRedirectsAndContentAreNamedErrors() {
        WebFetcher fetcher = new WebFetcher();
        WebToolsConfig.Fetch config = config(allow("localhost"));
        assertThatThrownBy(() -> fetcher.fetch(config, "file:///etc/passwd", WebFetcher.Mode.TEXT, null, budget))
                .hasMessage("web_fetch: \"url\" must be an http:// or https:// URL, got scheme \"file\"");
        assertThatThrownBy(() -> fetcher.fetch(config, "not a url", WebFetcher.Mode.TEXT, null, budget)).hasMessageStartingWith("web_fetch: \"url\" is not a valid URL");
        assertThatThrownBy(() -> fetcher.fetch(config, server.url("localhost", "/to-file"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageEndingWith("redirected to file:///etc/passwd: only http and https are followed");
        assertThatThrownBy(() -> fetcher.fetch(config, server.url("localhost", "/loop"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageEndingWith("redirected more than 3 times (tools.web.fetch.maxRedirects)");
        assertThatThrownBy(() -> fetcher.fetch(config, server.url("localhost", "/logo.png"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageEndingWith("/logo.png is image/png, not a web page or text; web_fetch reads HTML and text only");
        assertThatThrownBy(() -> fetcher.fetch(config, server.url("localhost", "/gone"), WebFetcher.Mode.TEXT, null, budget))
                .hasMessageEndingWith("/gone answered 410 Gone: This page is gone.");
    }

    @Test
    void bodiesAndTextAreCappedAndConfiguredHeadersGoToTheFirstOriginOnly() throws Exception {
        WebFetcher fetcher = new WebFetcher();
        Map<String, Object> big = fetcher.fetch(config(allow("localhost")), server.url("localhost", "/big"), WebFetcher.Mode.TEXT, 500, budget);
        assertThat(big).containsEntry("truncated", true).containsEntry("length", 500).containsEntry("rawLength", 40_000);
        assertThat((String) big.get("warning")).contains("larger than 40000 bytes");

        Map<String, Object> json = fetcher.fetch(config(allow("localhost")), server.url("localhost", "/json"), WebFetcher.Mode.MARKDOWN, null, budget);
        assertThat(json).containsEntry("text", "{\"ok\":true}").containsEntry("extractor", "raw");
        Map<String, Object> headers = fetcher.fetch(config(allow("localhost")), server.url("localhost", "/headers"), WebFetcher.Mode.TEXT, null, budget);
        assertThat(headers.get("text")).isEqualTo("blue");
        assertThat(server.seen().getLast().headers().get("user-agent")).contains("Mozilla/5.0");
    }

    @Test
    void addressesAreClassifiedByWhatTheyAre() throws Exception {
        assertThat(AddressPolicy.classify(InetAddress.getByName("8.8.8.8"))).isNull();
        assertThat(AddressPolicy.classify(InetAddress.getByName("2606:4700::1111"))).isNull();
        assertThat(AddressPolicy.classify(InetAddress.getByName("10.1.2.3"))).isEqualTo("private");
        assertThat(AddressPolicy.classify(InetAddress.getByName("172.31.0.1"))).isEqualTo("private");
        assertThat(AddressPolicy.classify(InetAddress.getByName("100.64.0.1"))).isEqualTo("carrier-grade NAT");
        assertThat(AddressPolicy.classify(InetAddress.getByName("198.18.0.1"))).isEqualTo("benchmark");
        assertThat(AddressPolicy.classify(InetAddress.getByName("169.254.169.254"))).isEqualTo("cloud metadata");
        assertThat(AddressPolicy.classify(InetAddress.getByName("0.0.0.0"))).isEqualTo("unspecified");
        assertThat(AddressPolicy.classify(InetAddress.getByName("::ffff:127.0.0.1"))).isEqualTo("loopback");
        assertThat(AddressPolicy.classify(InetAddress.getByName("64:ff9b::7f00:1"))).isEqualTo("loopback (in IPv6)");
        assertThat(AddressPolicy.classify(InetAddress.getByName("fd00:ec2::254"))).isEqualTo("cloud metadata");
        assertThat(AddressPolicy.classify(InetAddress.getByName("fc00::1"))).isEqualTo("unique-local");
        assertThat(AddressPolicy.classify(InetAddress.getByName("fe80::1"))).isEqualTo("link-local");

        WebToolsConfig.SsrfPolicy fakeIp = new WebToolsConfig.SsrfPolicy(false, true, true, List.of(), List.of());
        AddressPolicy.of(fakeIp).checkAddresses("x.example", List.of(InetAddress.getByName("198.18.0.7"), InetAddress.getByName("fc00::7")));
        AddressPolicy privateNetwork = AddressPolicy.of(new WebToolsConfig.SsrfPolicy(true, false, false, List.of(), List.of()));
        privateNetwork.checkAddresses("nas.lan", List.of(InetAddress.getByName("192.168.1.10")));
        assertThatThrownBy(() -> privateNetwork.checkAddresses("x", List.of(InetAddress.getByName("169.254.169.254"))))
                .as("metadata stays refused even with dangerouslyAllowPrivateNetwork").hasMessageContaining("cloud metadata");
    }
}
