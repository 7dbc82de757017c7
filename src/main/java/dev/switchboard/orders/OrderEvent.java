package dev.switchboard.orders;

import dev.switchboard.JsonCodec;
import jakarta.json.JsonObject;

/**
 * An order event as it travels: {@code order.created} or {@code order.updated}, with the order as
 * it was right after the change. On the broker its body is {@link #toJson()} and its routing key
 * the event name.
 *
 * @param id time-ordered, unique: the outbox row's key and the broker message id
 * @param order the order's JSON ({@link Order#toJson()})
 */
public record OrderEvent(
        String id, String event, String orderId, String userId, String order, long createdMs) {
    public static final String CREATED = "order.created";
    public static final String UPDATED = "order.updated";

    static OrderEvent of(String id, String event, Order order, long nowMs) {
        return new OrderEvent(
                id, event, order.id(), order.userId().value(), order.toJson().toString(), nowMs);
    }

    String toJson() {
        return JsonCodec.objectBuilder()
                .add("id", id)
                .add("event", event)
                .add("orderId", orderId)
                .add("userId", userId)
                .add("createdMs", createdMs)
                .add("order", orderJson())
                .build()
                .toString();
    }

    static OrderEvent parse(String json) {
        try (var reader = JsonCodec.reader(json)) {
            JsonObject o = reader.readObject();
            return new OrderEvent(
                    o.getString("id"),
                    o.getString("event"),
                    o.getString("orderId"),
                    o.getString("userId"),
                    o.getJsonObject("order").toString(),
                    o.getJsonNumber("createdMs").longValue());
        }
    }

    JsonObject orderJson() {
        try (var reader = JsonCodec.reader(order)) {
            return reader.readObject();
        }
    }
}
