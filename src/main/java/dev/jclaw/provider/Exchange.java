package dev.jclaw.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jclaw.config.ProviderConfig.Api;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP side of one attempt: the virtual thread that sends the request and reads the streamed
 * answer, and the response body it reads from.
 *
 * <p>Design note: an attempt owns at most one exchange, and {@link #close} is its only exit. Closing
 * while the answer is still coming cancels it: the thread is interrupted (which aborts a pending
 * {@code HttpClient.send}) and the body is closed (which ends a blocked read and makes the client
 * drop the connection instead of pooling it); then the thread is joined, within a bound. After
 * {@code close} returns, nothing of the attempt runs and its connection is gone or back in the pool.
 */
final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    /** A cancelled reader ends within microseconds; this bound only guards against a JDK surprise. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);

    /** An HTTP error status the provider answered with, and its Retry-After. */
    record HttpFailure(int status, String message, Duration retryAfter) {}

    final Api api;
    final String name;
    /** Tool schemas to restore in the request body (see {@link ToolSchemas}). */
    final Map<String, JsonNode> exactSchemas;
    private final HttpTransport transport;

    private Thread thread;
    private InputStream body;
    private boolean closed;
    private volatile long lastActivity = System.nanoTime();
    private volatile HttpFailure httpFailure;

    Exchange(HttpTransport transport, Api api, String name, Map<String, JsonNode> exactSchemas) {
        this.transport = transport;
        this.api = api;
        this.name = name;
        this.exactSchemas = exactSchemas;
    }

    /** Runs the exchange's work on a virtual thread of its own, unless the exchange was closed already. */
    synchronized void start(Runnable work) {
        if (thread != null) throw new IllegalStateException("one HTTP exchange per attempt");
        if (closed) return;
        thread = Thread.ofVirtual().name("jclaw-model " + name).unstarted(() -> {
            try {
                work.run();
            } finally {
                transport.exchangeEnded();
            }
        });
        transport.exchangeStarted();
        thread.start();
    }

    /** Hands over the response body; false (and the body closed) when the exchange was closed meanwhile. */
    boolean attach(InputStream responseBody) {
        synchronized (this) {
            if (!closed) {
                body = responseBody;
                return true;
            }
        }
        closeQuietly(responseBody);
        return false;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Something arrived: the stall timer starts again. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    long lastActivity() {
        return lastActivity;
    }

    void failedWith(HttpFailure failure) {
        httpFailure = failure;
    }

    HttpFailure httpFailure() {
        return httpFailure;
    }

    /**
     * Ends the exchange: with {@code cancel}, stops the answer wherever it is; without, only waits
     * for the thread, which has delivered its answer and is returning. Idempotent.
     */
    void close(boolean cancel) {
        Thread t;
        InputStream b;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = thread;
            b = body;
        }
        if (t == null) return;
        if (cancel) {
            t.interrupt();
            if (b != null) closeQuietly(b);
        }
        try {
            if (!t.join(JOIN_TIMEOUT)) log.warn("model call thread {} still running {} after it was {}", t.getName(), JOIN_TIMEOUT, cancel ? "cancelled" : "done");
        } catch (InterruptedException e) {
            // The caller is being aborted while waiting for a thread that is ending anyway: keep the status.
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing a model response body: {}", e.toString());
        }
    }
}
