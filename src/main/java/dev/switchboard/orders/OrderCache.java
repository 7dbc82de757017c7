package dev.switchboard.orders;

import java.util.Optional;

/**
 * Port: orders by id, as their JSON, for {@code GET /api/orders/{id}}. An entry is replaced only by
 * a newer version of the order, so a slow reader filling the cache after a miss can never put back
 * a status that a processor has already changed.
 */
public interface OrderCache extends AutoCloseable {
    Optional<CachedOrder> get(String orderId);

    void putIfNewer(Order order);

    /**
     * An order's JSON with the owner it belongs to, so ownership is checked without a database
     * read.
     */
    record CachedOrder(String userId, String json) {}

    @Override
    default void close() {}
}
