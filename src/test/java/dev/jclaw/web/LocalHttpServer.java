package dev.jclaw.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 for the web tools' tests: each path answers as a route says, and
 * every request is recorded (path, query, headers, body) so a test can show what did or did not arrive.
 */
public final class LocalHttpServer implements AutoCloseable {
    /** A request as it arrived. */
    public record Seen(String method, String path, Map<String, String> query, Map<String, String> headers, String body) {}

    /** An answer. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        public static Answer of(int status, String contentType, String body) {
            return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Answer redirect(int status, String location) {
            return new Answer(status, "text/plain", new byte[0], Map.of("Location", location));
        }
    }

    private final Server server;
    private final int port;
    private final Map<String, Function<Seen, Answer>> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public LocalHttpServer() throws Exception {
        server = new Server(new VirtualThreadPool());
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setShutdownIdleTimeout(1);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Map<String, String> query = new java.util.LinkedHashMap<>();
                Fields fields = Request.extractQueryParameters(request);
                fields.forEach(f -> query.put(f.getName(), f.getValue()));
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                request.getHeaders().forEach(h -> headers.put(h.getName().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Seen s = new Seen(request.getMethod(), Request.getPathInContext(request), query, headers, body);
                seen.add(s);
                Function<Seen, Answer> route = routes.get(s.path());
                Answer answer = route == null ? Answer.of(404, "text/html", "<html><body><h1>Not here</h1></body></html>") : route.apply(s);
                response.setStatus(answer.status());
                if (answer.contentType() != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
                answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                Content.Sink.write(response, true, ByteBuffer.wrap(answer.body()));
                callback.succeeded();
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    public LocalHttpServer route(String path, Function<Seen, Answer> answer) {
        routes.put(path, answer);
        return this;
    }

    public int port() {
        return port;
    }

    /** {@code http://<host>:<port><path>}. */
    public String url(String host, String path) {
        return "http://" + host + ":" + port + path;
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public long hits(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).count();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
