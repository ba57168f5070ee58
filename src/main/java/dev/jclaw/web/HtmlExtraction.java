package dev.jclaw.web;

import com.vladsch.flexmark.html2md.converter.FlexmarkHtmlConverter;
import com.vladsch.flexmark.util.data.MutableDataSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;

/**
 * A page's readable content: jsoup parses the HTML as a browser would; the main content is the
 * {@code article} (the longest, when several), else {@code main} or {@code [role=main]}, else the
 * body, without scripts, styles, navigation, headers, footers, forms and asides; flexmark turns it
 * into Markdown, or its text is taken with line breaks where blocks end.
 */
final class HtmlExtraction {
    /** Elements that are never content. */
    private static final String NEVER = "script, style, noscript, template, iframe, svg, canvas, object, embed, form, button, input, "
            + "select, textarea, link, meta";
    /** Elements that are around the content, removed when extracting the main content. */
    private static final String AROUND = "nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo], "
            + "[role=complementary], [aria-hidden=true], .sidebar, #sidebar, .cookie-banner, #cookie-banner";
    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "header", "footer", "li", "ul", "ol",
            "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "table", "br", "hr", "dd", "dt", "dl", "figure", "figcaption");
    private static final FlexmarkHtmlConverter MARKDOWN = FlexmarkHtmlConverter.builder(new MutableDataSet()
            .set(FlexmarkHtmlConverter.SETEXT_HEADINGS, false)
            .set(FlexmarkHtmlConverter.OUTPUT_UNKNOWN_TAGS, false)
            .set(FlexmarkHtmlConverter.MAX_BLANK_LINES, 1)
            .set(FlexmarkHtmlConverter.EXTRACT_AUTO_LINKS, true)).build();

    private HtmlExtraction() {}

    record Extracted(String title, String text, String extractor) {}

    /** Parses {@code body} (charset from {@code charset}, else the page's own meta, else UTF-8) and extracts it. */
    static Extracted extract(byte[] body, String charset, String baseUri, boolean markdown, boolean readability) throws IOException {
        Document document = Jsoup.parse(new ByteArrayInputStream(body), charset, baseUri);
        String title = document.title().strip();
        document.select(NEVER).remove();
        Element content = document.body();
        String extractor = "raw-html";
        if (readability) {
            Element main = mainContent(document);
            if (main != null) {
                content = main;
                extractor = "readability";
            }
            content.select(AROUND).remove();
        }
        for (Element link : content.select("a[href]")) link.attr("href", link.absUrl("href"));
        for (Element image : content.select("img[src]")) image.attr("src", image.absUrl("src"));
        String text = markdown ? MARKDOWN.convert(content.outerHtml()) : text(content);
        return new Extracted(title, tidy(text), extractor);
    }

    private static Element mainContent(Document document) {
        Element best = null;
        for (Element article : document.select("article")) {
            if (best == null || article.text().length() > best.text().length()) best = article;
        }
        if (best != null && !best.text().isBlank()) return best;
        Element main = document.selectFirst("main, [role=main]");
        return main != null && !main.text().isBlank() ? main : null;
    }

    /** The element's text, with a line break where each block ends. */
    private static String text(Element root) {
        StringBuilder out = new StringBuilder();
        root.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    boolean lineStart = out.isEmpty() || out.charAt(out.length() - 1) == '\n';
                    out.append(lineStart ? text.text().stripLeading() : text.text());
                } else if (node instanceof Element element && element.nameIs("br")) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && BLOCKS.contains(element.normalName()) && !element.nameIs("br")) out.append('\n');
            }
        });
        return out.toString();
    }

    /** Trailing spaces off every line, at most one blank line in a row, no blank start or end. */
    private static String tidy(String text) {
        StringBuilder out = new StringBuilder();
        int blank = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.stripTrailing();
            if (trimmed.isBlank()) {
                if (blank++ == 0 && !out.isEmpty()) out.append('\n');
                continue;
            }
            blank = 0;
            out.append(trimmed).append('\n');
        }
        return out.toString().strip();
    }
}
