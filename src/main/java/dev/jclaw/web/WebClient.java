package dev.jclaw.web;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP client for one tool call, closed when the call ends (no thread or connection outlives it).
 * Jetty's client, because it takes the addresses to connect to from us: {@link AddressPolicy} sees
 * what the name resolved to, and the connection goes to exactly those addresses; no second lookup
 * can swap them. Redirects are not followed here: the caller checks each hop.
 */
final class WebClient implements AutoCloseable {
    /** Looks a host name up. */
    interface Resolver {
        List<InetAddress> resolve(String host) throws IOException;
    }

    static final Resolver DNS = host -> List.of(InetAddress.getAllByName(host));

    private final HttpClient client;

    private WebClient(HttpClient client) {
        this.client = client;
    }

    static WebClient open(AddressPolicy policy, Resolver resolver, String userAgent, Duration connectTimeout) throws IOException {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new SslContextFactory.Client());
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(new VirtualThreadPool());
        client.setFollowRedirects(false);
        client.setConnectTimeout(Math.max(1, connectTimeout.toMillis()));
        client.setUserAgentField(userAgent == null ? null : new HttpField(HttpHeader.USER_AGENT, userAgent));
        client.setSocketAddressResolver((host, port, context, promise) -> {
            try {
                policy.checkName(host);
                List<InetAddress> addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                policy.checkAddresses(host, addresses);
                promise.succeeded(addresses.stream().map(a -> new InetSocketAddress(a, port)).toList());
            } catch (Throwable e) {
                promise.failed(e);
            }
        });
        try {
            client.start();
            client.getProtocolHandlers().clear(); // (start adds them) no redirects followed, no auth challenges: every status comes back as it is
        } catch (Exception e) {
            stop(client);
            throw new IOException("the HTTP client did not start: " + e.getMessage(), e);
        }
        return new WebClient(client);
    }

    /** A response: its status and headers, and up to the limit of its body (decoded). */
    record Response(URI uri, int status, String reason, HttpFields headers, byte[] body, boolean truncated) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * Sends one request and reads at most {@code maxBytes} of the body; the rest is dropped with the
     * connection. Bounded by {@code timeout} from the first byte sent to the last read.
     */
    Response send(String method, URI uri, Map<String, String> headers, byte[] body, String contentType, int maxBytes, Duration timeout)
            throws IOException, InterruptedException {
        long millis = Math.max(1, timeout.toMillis());
        Request request = client.newRequest(uri).method(method).timeout(millis, TimeUnit.MILLISECONDS);
        request.headers(h -> headers.forEach(h::put));
        if (body != null) request.body(new BytesRequestContent(contentType, body));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        org.eclipse.jetty.client.Response response;
        try {
            response = listener.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new IOException("no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (RuntimeException e) {
            throw failure(e);
        }
        try (InputStream in = listener.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            boolean truncated = bytes.length > maxBytes;
            if (truncated) {
                request.abort(new IOException("the response is larger than the limit"));
                bytes = Arrays.copyOf(bytes, maxBytes);
            }
            return new Response(uri, response.getStatus(), response.getReason(), response.getHeaders(), bytes, truncated);
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
            throw failure(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static IOException failure(Throwable cause) {
        if (cause instanceof AddressPolicy.BlockedAddressException blocked) return blocked;
        if (cause instanceof java.net.UnknownHostException unknown) return new IOException("unknown host " + unknown.getMessage());
        if (cause instanceof TimeoutException) return new IOException("no answer in time");
        if (cause instanceof IOException io) return io;
        return new IOException(cause == null ? "the request failed" : cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
    }

    @Override
    public void close() {
        stop(client);
    }

    private static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping releases threads and sockets; a failure here has nothing left to release
        }
    }
}
