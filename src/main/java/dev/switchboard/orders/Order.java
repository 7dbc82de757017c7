package dev.switchboard.orders;

import dev.switchboard.JsonCodec;
import dev.switchboard.Timestamps;
import dev.switchboard.UserId;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as the API shows it, detached from the persistence context.
 *
 * @param version bumped by every change; the cache keeps the highest it has seen, so it is never
 *     stale
 */
public record Order(
        String id,
        UserId userId,
        List<Item> items,
        BigDecimal total,
        OrderStatus status,
        Instant createdAt,
        Instant updatedAt,
        long version) {
    public record Item(String sku, int qty, BigDecimal price) {}

    /**
     * The contract's order object: {@code orderId, userId, items, total, status, createdAt,
     * updatedAt}.
     */
    public JsonObject toJson() {
        var lines = JsonCodec.arrayBuilder();
        for (Item item : items) {
            lines.add(
                    JsonCodec.objectBuilder()
                            .add("sku", item.sku())
                            .add("qty", item.qty())
                            .add("price", money(item.price())));
        }
        return JsonCodec.objectBuilder()
                .add("orderId", id)
                .add("userId", userId.value())
                .add("items", lines)
                .add("total", money(total))
                .add("status", status.wire())
                .add("createdAt", Timestamps.format(createdAt))
                .add("updatedAt", Timestamps.format(updatedAt))
                .build();
    }

    /** Amounts as plain decimals with at least two places: 12.50, 0.1234, never 1.25E+1. */
    static BigDecimal money(BigDecimal amount) {
        BigDecimal plain = amount.stripTrailingZeros();
        return plain.scale() < 2 ? plain.setScale(2) : plain;
    }
}
