package dev.jclaw.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small cache of recent results: at most {@code capacity} entries, each for its time to live; the oldest go first. */
final class TtlCache<V> {
    private record Slot<V>(V value, long expiresAt) {}

    private final int capacity;
    private final LinkedHashMap<String, Slot<V>> entries;

    TtlCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot<V>> eldest) {
                return size() > TtlCache.this.capacity;
            }
        };
    }

    synchronized V get(String key) {
        Slot<V> entry = entries.get(key);
        if (entry == null) return null;
        if (System.nanoTime() - entry.expiresAt() > 0) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    synchronized void put(String key, V value, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) return;
        entries.put(key, new Slot<>(value, System.nanoTime() + ttl.toNanos()));
    }
}
