package dev.jclaw.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One try of one model: starts the streamed call in its {@link Exchange}, forwards text deltas, and
 * waits for the end, which is the first of: the answer, an error, the stall timeout, the turn's
 * deadline, or an interrupt of the waiting thread. Whatever ends it, the exchange is closed before
 * {@link #run} returns.
 */
final class Attempt implements StreamingChatResponseHandler {
    private static final Logger log = LoggerFactory.getLogger(Attempt.class);
    /** Quoted from a provider's error body, at most. */
    private static final int MESSAGE_LIMIT = 300;

    /** How an attempt ended. */
    sealed interface Outcome {}

    record Answered(ChatResponse response) implements Outcome {}

    /**
     * @param description what happened, for the user ({@code HTTP 429: rate limited})
     * @param kind        a metric tag: rate_limited, server_error, timeout, connection, auth, client_error, bad_response, error
     * @param retryable   whether trying the same model again may help
     * @param retryAfter  the provider's Retry-After, or null
     */
    record Failed(String description, String kind, boolean retryable, Duration retryAfter) implements Outcome {}

    /** The turn's deadline passed. */
    record TimedOut() implements Outcome {}

    /** The waiting thread was interrupted; its interrupt status is set again. */
    record Aborted() implements Outcome {}

    private final Exchange exchange;
    private final ChatListener listener;
    private final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    Attempt(Exchange exchange, ChatListener listener) {
        this.exchange = exchange;
        this.listener = listener;
    }

    Outcome run(StreamingChatModel model, dev.langchain4j.model.chat.request.ChatRequest request, long deadline, Duration stall) {
        try {
            ScopedValue.where(HttpTransport.EXCHANGE, exchange).run(() -> model.chat(request, this));
        } catch (RuntimeException e) {
            exchange.close(true);
            return classify(e, exchange);
        }
        long stallNanos = stall.toNanos();
        while (true) {
            long now = System.nanoTime();
            long stallAt = exchange.lastActivity() + stallNanos;
            if (now - deadline >= 0) {
                exchange.close(true);
                return new TimedOut();
            }
            if (now - stallAt >= 0) {
                exchange.close(true);
                return new Failed("timed out: nothing received for " + Durations.format(stall), "timeout", true, null);
            }
            try {
                ChatResponse response = done.get(Math.min(deadline - now, stallAt - now), TimeUnit.NANOSECONDS);
                exchange.close(false);
                return new Answered(response);
            } catch (TimeoutException e) {
                // a bound passed or activity moved the stall bound: look again
            } catch (ExecutionException e) {
                exchange.close(true);
                return classify(e.getCause(), exchange);
            } catch (InterruptedException e) {
                exchange.close(true); // with the status cleared, so the bounded join is not cut short
                Thread.currentThread().interrupt();
                return new Aborted();
            }
        }
    }

    @Override
    public void onPartialResponse(String delta) {
        if (exchange.isClosed()) return;
        try {
            listener.onTextDelta(delta);
        } catch (RuntimeException e) {
            log.warn("chat listener failed on a text delta: {}", e.toString());
        }
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    /** What an error means for the turn: an HTTP status the exchange saw, else the first telling cause. */
    static Failed classify(Throwable error, Exchange exchange) {
        Exchange.HttpFailure http = exchange.httpFailure();
        if (http != null) return httpFailure(http);
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            switch (t) {
                case HttpTimeoutException e -> {
                    return new Failed("timed out: " + e.getMessage(), "timeout", true, null);
                }
                case ConnectException e -> {
                    return new Failed("cannot connect: " + message(e), "connection", true, null);
                }
                case UnknownHostException e -> {
                    return new Failed("unknown host: " + e.getMessage(), "connection", true, null);
                }
                case UnresolvedAddressException e -> {
                    return new Failed("unknown host", "connection", true, null);
                }
                case JsonProcessingException e -> {
                    return new Failed("malformed response: " + e.getOriginalMessage(), "bad_response", false, null);
                }
                case AnthropicStreamingException e -> {
                    boolean transient_ = "overloaded_error".equals(e.type()) || "api_error".equals(e.type());
                    return new Failed("provider error (" + e.type() + "): " + e.getMessage(), transient_ ? "server_error" : "client_error", transient_, null);
                }
                case IOException e -> {
                    return new Failed("connection error: " + message(e), "connection", true, null);
                }
                default -> { }
            }
        }
        return new Failed("failed: " + message(error), "error", false, null);
    }

    private static Failed httpFailure(Exchange.HttpFailure f) {
        int status = f.status();
        String kind = status == 429 ? "rate_limited" : status >= 500 ? "server_error" : status == 408 ? "timeout"
                : status == 401 || status == 403 ? "auth" : "client_error";
        boolean retryable = status == 408 || status == 429 || status >= 500;
        String text = providerMessage(f.message());
        return new Failed("HTTP " + status + (text.isEmpty() ? "" : ": " + text), kind, retryable, f.retryAfter());
    }

    /** The message in an OpenAI, Anthropic or Ollama error body, else the body itself, shortened. */
    static String providerMessage(String body) {
        String text = body == null ? "" : body.strip();
        try {
            JsonNode root = ToolSchemas.JSON.readTree(text);
            if (root != null) {
                JsonNode error = root.path("error");
                if (error.path("message").isTextual()) text = error.path("message").asText();
                else if (error.isTextual()) text = error.asText();
                else if (root.path("message").isTextual()) text = root.path("message").asText();
            }
        } catch (JsonProcessingException notJson) {
            // quote the body as it is
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() > MESSAGE_LIMIT ? text.substring(0, MESSAGE_LIMIT) + "…" : text;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
