package dev.switchboard.orders;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A standalone node's order cache: least recently used entries beyond {@code capacity} are dropped.
 */
class InMemoryOrderCache implements OrderCache {
    private record Entry(long version, CachedOrder order, long expiresAtMs) {}

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries;

    InMemoryOrderCache(Clock clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.entries =
                new LinkedHashMap<>(256, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                        return size() > capacity;
                    }
                };
    }

    @Override
    public synchronized Optional<CachedOrder> get(String orderId) {
        Entry entry = entries.get(orderId);
        if (entry == null) return Optional.empty();
        if (entry.expiresAtMs() <= clock.millis()) {
            entries.remove(orderId);
            return Optional.empty();
        }
        return Optional.of(entry.order());
    }

    @Override
    public synchronized void putIfNewer(Order order) {
        Entry current = entries.get(order.id());
        if (current != null
                && current.version() >= order.version()
                && current.expiresAtMs() > clock.millis()) return;
        entries.put(
                order.id(),
                new Entry(
                        order.version(),
                        new CachedOrder(order.userId().value(), order.toJson().toString()),
                        clock.millis() + ttl.toMillis()));
    }
}
