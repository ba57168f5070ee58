package dev.jclaw.web;

import dev.jclaw.config.WebToolsConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code web_fetch}'s engine: a GET with size and time caps whose every hop (redirects included) is
 * checked by {@link AddressPolicy} on the addresses it connects to, then the page as Markdown or
 * text ({@link HtmlExtraction}), cut to {@code maxChars}. Results are cached per URL, mode and size
 * for {@code cacheTtlMinutes}.
 */
public final class WebFetcher {
    public enum Mode { MARKDOWN, TEXT }

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Headers the fetch itself owns, or that a request cannot carry: configured values for them are dropped. */
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "accept-language", "user-agent", "host", "content-length",
            "transfer-encoding", "connection", "upgrade", "keep-alive", "te", "trailer", "proxy-connection", "accept-encoding");
    private static final String ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";

    private final WebClient.Resolver resolver;
    private final TtlCache<Map<String, Object>> cache = new TtlCache<>(64);

    public WebFetcher() {
        this(WebClient.DNS);
    }

    WebFetcher(WebClient.Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Fetches {@code url}.
     *
     * @param maxChars characters of text at most (clamped to {@code maxCharsCap}); null for the configured default
     * @param budget   the most this call may take (the run's remaining time); the configured timeout applies within it
     * @return the result as JSON-ready values
     * @throws WebException for a bad URL, a refused address, an HTTP error, a page that is not text; the message names the argument
     */
    public Map<String, Object> fetch(WebToolsConfig.Fetch config, String url, Mode mode, Integer maxChars, Duration budget)
            throws WebException, InterruptedException {
        URI start = parse(url, "url");
        int chars = Math.min(maxChars == null ? config.maxChars() : maxChars, config.maxCharsCap());
        String key = start + "|" + mode + "|" + chars;
        Map<String, Object> cached = cache.get(key);
        if (cached != null) {
            Map<String, Object> hit = new LinkedHashMap<>(cached);
            hit.put("cached", true);
            return hit;
        }
        long began = System.nanoTime();
        Duration timeout = budget.compareTo(config.timeout()) < 0 ? budget : config.timeout();
        long deadline = began + timeout.toNanos();
        AddressPolicy policy = AddressPolicy.of(config.ssrfPolicy());
        try (WebClient client = WebClient.open(policy, resolver, config.userAgent(), timeout)) {
            URI current = start;
            WebClient.Response response;
            for (int hop = 0; ; hop++) {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Accept", ACCEPT);
                headers.put("Accept-Language", "en-US,en;q=0.9");
                if (sameOrigin(current, start)) config.headers().forEach((name, value) -> addConfigured(headers, name, value.reveal()));
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (left.isNegative() || left.isZero()) throw new WebException("web_fetch: \"url\": " + start + ": no answer within " + timeout.toSeconds() + " s");
                try {
                    response = client.send("GET", current, headers, null, null, config.maxResponseBytes(), left);
                } catch (AddressPolicy.BlockedAddressException e) {
                    throw new WebException("web_fetch: \"url\": " + (hop == 0 ? "" : "redirect to " + current + " refused: ") + e.getMessage());
                } catch (IOException e) {
                    throw new WebException("web_fetch: \"url\": " + current + ": " + e.getMessage());
                }
                if (!REDIRECTS.contains(response.status()) || response.header("Location") == null) break;
                if (hop >= config.maxRedirects()) {
                    throw new WebException("web_fetch: \"url\": " + start + " redirected more than " + config.maxRedirects()
                            + " times (tools.web.fetch.maxRedirects)");
                }
                URI next = redirect(current, response.header("Location"));
                current = next;
            }
            Map<String, Object> result = result(config, start, response, mode, chars, began);
            if ((int) result.get("status") < 400) cache.put(key, result, config.cacheTtl());
            return result;
        } catch (IOException e) {
            throw new WebException("web_fetch: \"url\": " + start + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> result(WebToolsConfig.Fetch config, URI start, WebClient.Response response, Mode mode, int chars,
                                              long began) throws WebException, IOException {
        String contentType = response.header("Content-Type") == null ? "" : response.header("Content-Type");
        String mime = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        String charset = charset(contentType);
        String title = null;
        String text;
        String extractor;
        if (mime.equals("text/html") || mime.equals("application/xhtml+xml") || mime.isEmpty() && looksLikeHtml(response.body())) {
            HtmlExtraction.Extracted page = HtmlExtraction.extract(response.body(), charset, response.uri().toString(),
                    mode == Mode.MARKDOWN, config.readability());
            title = page.title().isEmpty() ? null : page.title();
            text = page.text();
            extractor = page.extractor();
        } else if (isText(mime)) {
            text = new String(response.body(), charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset, StandardCharsets.UTF_8));
            extractor = "raw";
        } else {
            throw new WebException("web_fetch: \"url\": " + response.uri() + " is " + (mime.isEmpty() ? "of no content type" : mime)
                    + ", not a web page or text; web_fetch reads HTML and text only");
        }
        if (response.status() >= 400) {
            String excerpt = text.length() > 300 ? text.substring(0, 300) + "…" : text;
            throw new WebException("web_fetch: \"url\": " + response.uri() + " answered " + response.status()
                    + (response.reason() == null ? "" : " " + response.reason()) + (excerpt.isBlank() ? "" : ": " + excerpt));
        }
        int rawLength = text.length();
        boolean truncated = rawLength > chars;
        if (truncated) text = text.substring(0, Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", start.toString());
        out.put("finalUrl", response.uri().toString());
        out.put("status", response.status());
        out.put("contentType", contentType);
        if (title != null) out.put("title", title);
        out.put("extractMode", mode == Mode.MARKDOWN ? "markdown" : "text");
        out.put("extractor", extractor);
        out.put("externalContent", Map.of("untrusted", true, "source", "web_fetch"));
        out.put("truncated", truncated || response.truncated());
        if (response.truncated()) {
            out.put("warning", "the response was larger than " + config.maxResponseBytes() + " bytes (tools.web.fetch.maxResponseBytes); "
                    + "the rest was not read");
        }
        out.put("length", text.length());
        out.put("rawLength", rawLength);
        out.put("fetchedAt", Instant.now().toString());
        out.put("tookMs", (System.nanoTime() - began) / 1_000_000);
        out.put("text", text);
        return out;
    }

    /** An absolute http(s) URL, or an error naming {@code argument}. */
    static URI parse(String url, String argument) throws WebException {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new WebException("web_fetch: \"" + argument + "\" is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new WebException("web_fetch: \"" + argument + "\" must be an http:// or https:// URL, got "
                    + (scheme.isEmpty() ? "no scheme" : "scheme \"" + scheme + "\""));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new WebException("web_fetch: \"" + argument + "\" has no host: " + url);
        if (uri.getUserInfo() != null) throw new WebException("web_fetch: \"" + argument + "\" must not carry a user name or password");
        return uri;
    }

    private static URI redirect(URI from, String location) throws WebException {
        URI target;
        try {
            target = from.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new WebException("web_fetch: \"url\": " + from + " redirected to an invalid URL: " + location);
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new WebException("web_fetch: \"url\": " + from + " redirected to " + target + ": only http and https are followed");
        }
        return target;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }

    private static void addConfigured(Map<String, String> headers, String name, String value) {
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) return;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) return;
        }
        headers.put(name, value);
    }

    private static String charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring(8).replace("\"", "").strip();
                return Charset.isSupported(name) ? name : null;
            }
        }
        return null;
    }

    private static boolean isText(String mime) {
        return mime.startsWith("text/") || mime.equals("application/json") || mime.endsWith("+json") || mime.equals("application/xml")
                || mime.endsWith("+xml") || mime.equals("application/javascript") || mime.equals("application/x-ndjson");
    }

    private static boolean looksLikeHtml(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 512), StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }
}
