package dev.jclaw.gateway;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections, capped, and broadcasting to the ones past their handshake. */
final class Clients {
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Characters queued for all connections together (see {@link GatewayOptions.Limits#maxBufferedTotal()}). */
    final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final int max;

    Clients(int max) {
        this.max = max;
    }

    boolean add(Connection connection) {
        // A cap checked then added can overshoot by the number of simultaneous opens; that is fine for a safety limit.
        if (open.size() >= max) return false;
        return open.add(connection);
    }

    void remove(Connection connection) {
        open.remove(connection);
    }

    /** Sends {@code event} to every connected client, the payload serialised once. */
    void broadcast(String event, Object payload) {
        if (open.isEmpty()) return;
        String head = Json.eventHead(event, Json.write(payload)); // serialised once, whatever the number of clients
        for (Connection connection : open) connection.sendEvent(head);
    }

    List<Connection> all() {
        return List.copyOf(open);
    }

    List<Peer> peers() {
        return open.stream().map(Connection::peer).filter(p -> p != null).toList();
    }

    int size() {
        return open.size();
    }
}
