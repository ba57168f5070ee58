package dev.jclaw.provider;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP client under every model, given to LangChain4j as its {@link HttpClient}.
 *
 * <p>Why our own: LangChain4j's JDK client starts a stream with {@code sendAsync} and keeps no handle,
 * so a stream could not be stopped before its first event, nor a connection closed on abort; and it
 * builds a {@code java.net.http.HttpClient} (a selector thread) per model that nobody closes. Here one
 * {@code java.net.http.HttpClient} (HTTP/1.1 keep-alive pool, async work on virtual threads) serves
 * all models and is closed by {@link #close}, and each streamed call runs in the {@link Exchange} the
 * calling attempt bound to {@link #EXCHANGE}, so the attempt can cancel it.
 */
final class HttpTransport implements HttpClient, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
    /** The exchange of the attempt on whose thread LangChain4j issues the request. */
    static final ScopedValue<Exchange> EXCHANGE = ScopedValue.newInstance();
    /** Connecting is part of the stall budget too; this only stops a dead host from holding a socket long. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Enough of an error body to quote the provider's message. */
    private static final int ERROR_BODY_LIMIT = 16 * 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    private final AtomicInteger liveExchanges = new AtomicInteger();

    /**
     * A builder LangChain4j's model builders accept. The timeouts they set are ignored: a call is
     * bounded by the turn's timeout and the retry policy's stall timeout instead.
     */
    HttpClientBuilder builder() {
        return new HttpClientBuilder() {
            @Override
            public Duration connectTimeout() {
                return null;
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                return this;
            }

            @Override
            public Duration readTimeout() {
                return null;
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                return this;
            }

            @Override
            public HttpClient build() {
                return HttpTransport.this;
            }
        };
    }

    /** Model calls that have a thread reading right now (zero when the gateway is idle). */
    int liveExchanges() {
        return liveExchanges.get();
    }

    void exchangeStarted() {
        liveExchanges.incrementAndGet();
    }

    void exchangeEnded() {
        liveExchanges.decrementAndGet();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        throw new UnsupportedOperationException("JClaw makes only streamed model calls; got a plain " + request.method() + " " + request.url());
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Exchange exchange = EXCHANGE.orElseThrow(() -> new IllegalStateException("a model call outside of an attempt"));
        java.net.http.HttpRequest jdkRequest = toJdk(request, exchange);
        exchange.start(() -> stream(jdkRequest, parser, listener, exchange));
    }

    private void stream(java.net.http.HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener, Exchange exchange) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException cancelled) {
            return;
        } catch (IOException e) {
            listener.onError(e);
            return;
        }
        InputStream body = response.body();
        if (!exchange.attach(body)) return;
        exchange.touch();
        try (body) {
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                String text = new String(body.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
                exchange.failedWith(new Exchange.HttpFailure(status, text, retryAfter(response.headers())));
                listener.onError(new HttpException(status, text));
                return;
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(status).headers(response.headers().map()).build());
            Events events = new Events(listener, exchange);
            parser.parse(body, events);
            if (!events.failed) listener.onClose();
        } catch (IOException e) {
            if (!exchange.isClosed()) listener.onError(e);
        }
    }

    private static java.net.http.HttpRequest toJdk(HttpRequest request, Exchange exchange) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) values.forEach(value -> builder.header(name, value));
        });
        String body = ToolSchemas.restore(exchange.api, request.body(), exchange.exactSchemas);
        builder.method(request.method().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        return builder.build();
    }

    /**
     * {@code retry-after-ms} (OpenAI) or {@code Retry-After} in seconds or as an HTTP date; null when
     * absent or unreadable.
     */
    static Duration retryAfter(HttpHeaders headers) {
        var ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Duration.ofNanos((long) (Double.parseDouble(ms.get().trim()) * 1_000_000));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        var value = headers.firstValue("retry-after");
        if (value.isEmpty()) return null;
        String v = value.get().trim();
        try {
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Shuts the client down, cancelling whatever is still in flight. Bounded. */
    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
        try {
            if (!http.awaitTermination(CLOSE_TIMEOUT)) log.warn("model HTTP client still busy {} after shutdown", CLOSE_TIMEOUT);
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) log.warn("model HTTP tasks still running after shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes events on, restarting the stall timer at each, and remembers whether the parser reported an error. */
    private static final class Events implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private final Exchange exchange;
        private boolean failed;

        Events(ServerSentEventListener delegate, Exchange exchange) {
            this.delegate = delegate;
            this.exchange = exchange;
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            exchange.touch();
            delegate.onEvent(event, context);
        }

        @Override
        public void onError(Throwable error) {
            failed = true;
            if (!exchange.isClosed()) delegate.onError(error);
        }
    }
}
