package dev.jclaw.provider;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How failures are put into words and read from providers' answers. */
class FailureTextTest {
    @Test
    void theProviderMessageIsTakenFromEachApisErrorBody() {
        assertThat(Attempt.providerMessage("{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\"}}")).isEqualTo("Incorrect API key");
        assertThat(Attempt.providerMessage("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")).isEqualTo("Overloaded");
        assertThat(Attempt.providerMessage("{\"error\":\"model 'x' not found\"}")).isEqualTo("model 'x' not found");
        assertThat(Attempt.providerMessage("<html>\n<body>Bad Gateway</body>\n</html>")).isEqualTo("<html> <body>Bad Gateway</body> </html>");
        assertThat(Attempt.providerMessage("x".repeat(1000))).hasSize(301).endsWith("…");
    }

    @Test
    void retryAfterIsReadInMillisecondsSecondsOrAsADate() {
        assertThat(HttpTransport.retryAfter(headers(Map.of("retry-after-ms", "1500.5", "retry-after", "2")))).isEqualTo(Duration.ofNanos(1_500_500_000));
        assertThat(HttpTransport.retryAfter(headers(Map.of("retry-after", "7")))).isEqualTo(Duration.ofSeconds(7));
        String inTenSeconds = ZonedDateTime.now().plusSeconds(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(HttpTransport.retryAfter(headers(Map.of("retry-after", inTenSeconds)))).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(HttpTransport.retryAfter(headers(Map.of("retry-after", "soon")))).isNull();
        assertThat(HttpTransport.retryAfter(headers(Map.of()))).isNull();
    }

    @Test
    void theSummaryGroupsAttemptsByModelAndCountsRepeatedOutcomes() {
        var attempts = List.of(
                new ChatResult.Attempt("a", "m", "HTTP 500: boom", 1),
                new ChatResult.Attempt("a", "m", "timed out: nothing received for 2 min", 1),
                new ChatResult.Attempt("a", "m", "timed out: nothing received for 2 min", 1),
                new ChatResult.Attempt("b", "n", "HTTP 401: bad key", 1));
        assertThat(Providers.summary(attempts)).isEqualTo(
                "  - a/m: HTTP 500: boom; then timed out: nothing received for 2 min (×2) — 3 tries\n"
                + "  - b/n: HTTP 401: bad key — 1 try");
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        values.forEach((k, v) -> map.put(k, List.of(v)));
        return HttpHeaders.of(map, (k, v) -> true);
    }
}
