package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods the gateway answers, each with the scope it needs (OpenClaw's: read for looking,
 * write for running agents, admin for destroying sessions) and its params schema. {@link #dispatch}
 * checks scope and params, runs the handler, and answers: its return value as the payload, a
 * {@link GatewayError} as that error, anything else as UNAVAILABLE naming the failure.
 */
final class Methods {
    private static final Logger log = LoggerFactory.getLogger(Methods.class);

    /** A handler that answers on its own (e.g. {@code agent}: accepted now, final later) returns this. */
    static final Object ANSWERED = new Object();

    interface Handler {
        Object handle(Call call) throws Exception;
    }

    /** One request being served. */
    static final class Call {
        final Connection connection;
        final Peer peer;
        final String id;
        final String method;
        final ObjectNode params;

        Call(Connection connection, String id, String method, ObjectNode params) {
            this.connection = connection;
            this.peer = connection.peer();
            this.id = id;
            this.method = method;
            this.params = params;
        }

        void ok(Object payload) {
            connection.send(Json.ok(id, payload));
        }

        void fail(GatewayError error) {
            connection.send(Json.error(id, error));
        }

        void fail(GatewayError error, Object payload) {
            connection.send(Json.error(id, error, payload));
        }
    }

    private record Entry(String scope, Params params, Handler handler) {}

    private final Map<String, Entry> methods = new LinkedHashMap<>();
    private final GatewayMetrics metrics;

    Methods(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    Methods add(String name, String scope, Params params, Handler handler) {
        if (methods.putIfAbsent(name, new Entry(scope, params, handler)) != null) throw new IllegalArgumentException("two methods " + name);
        return this;
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        names.add("connect");
        names.addAll(methods.keySet());
        return names;
    }

    void dispatch(Connection connection, String id, String method, JsonNode params) {
        Entry entry = methods.get(method);
        if (entry == null) {
            metrics.request("unknown", "error");
            connection.send(Json.error(id, GatewayError.invalid("unknown method: " + method)));
            return;
        }
        Peer peer = connection.peer();
        if (!peer.allows(entry.scope())) {
            metrics.request(method, "forbidden");
            connection.send(Json.error(id, new GatewayError(GatewayError.FORBIDDEN, "missing scope: " + entry.scope()
                    + " (" + method + " needs it; this connection has " + (peer.scopes().isEmpty() ? "none" : peer.scopes())
                    + "; ask for it in connect.scopes)", Json.map("code", "MISSING_SCOPE", "missingScope", entry.scope()), false)));
            return;
        }
        try {
            Call call = new Call(connection, id, method, entry.params().check(params));
            Object payload = entry.handler().handle(call);
            if (payload != ANSWERED) call.ok(payload);
            metrics.request(method, "ok");
        } catch (GatewayError e) {
            metrics.request(method, "error");
            connection.send(Json.error(id, e));
        } catch (IllegalArgumentException e) {
            metrics.request(method, "error");
            connection.send(Json.error(id, GatewayError.invalid(method + ": " + e.getMessage())));
        } catch (InterruptedException e) {
            metrics.request(method, "error");
            connection.send(Json.error(id, new GatewayError(GatewayError.UNAVAILABLE, method + " was interrupted: the gateway is stopping",
                    null, true)));
        } catch (Exception e) {
            metrics.request(method, "error");
            log.error("{} failed", method, e);
            connection.send(Json.error(id, new GatewayError(GatewayError.UNAVAILABLE, method + " failed: " + e, null, false)));
        }
    }
}
