package dev.switchboard.orders;

import dev.switchboard.ErrorCode;
import dev.switchboard.JsonCodec;
import dev.switchboard.SwitchboardException;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an order body into an {@link OrderRequest}, field by field with JSON-P rather than by
 * JSON-B binding, so a wrong type is reported with the field's path ({@code items[0].qty: must be a
 * number}) and never with a class name. A first streaming pass bounds what the tree would cost:
 * nesting depth and the length of each number, before any number is made.
 */
final class OrderRequestReader {
    /** The order shape is three levels deep; anything much deeper is not an order. */
    static final int MAX_DEPTH = 8;

    /**
     * A valid amount has at most 15 + 4 digits; 40 characters leave room for signs, points and
     * exponents.
     */
    static final int MAX_NUMBER_CHARS = 40;

    /**
     * Type errors listed in one detail; a body of 10,000 wrong items gets the first ones and a
     * count.
     */
    static final int MAX_LISTED = 10;

    private OrderRequestReader() {}

    static OrderRequest read(String body) {
        if (body == null || body.isBlank()) throw bad("a JSON order body is required");
        try {
            checkShape(body);
            JsonValue value;
            try (var reader = JsonCodec.reader(body)) {
                value = reader.readValue();
            }
            if (!(value instanceof JsonObject object)) throw bad("a JSON order object is required");
            return new Fields().order(object);
        } catch (JsonParsingException e) {
            throw bad("the body is not a valid order: malformed JSON" + at(e.getLocation()));
        } catch (JsonException | NumberFormatException | ArithmeticException e) {
            throw bad("the body is not a valid order: malformed JSON");
        }
    }

    /** Streams the body once: depth and number lengths, without building anything. */
    private static void checkShape(String body) {
        int depth = 0;
        try (JsonParser parser = JsonCodec.parser(body)) {
            while (parser.hasNext()) {
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH)
                            throw bad(
                                    "the body is not a valid order: nested deeper than "
                                            + MAX_DEPTH
                                            + " levels"
                                            + at(parser.getLocation()));
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER -> {
                        if (parser.getString().length() > MAX_NUMBER_CHARS)
                            throw bad(
                                    "the body is not a valid order: a number longer than "
                                            + MAX_NUMBER_CHARS
                                            + " characters"
                                            + at(parser.getLocation()));
                    }
                    default -> {}
                }
            }
        }
    }

    private static String at(JsonLocation location) {
        return location == null
                ? ""
                : " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    private static SwitchboardException bad(String detail) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, detail);
    }

    /** One body's reading: the type errors found, each naming its field's path. */
    private static final class Fields {
        private final List<String> errors = new ArrayList<>();

        OrderRequest order(JsonObject json) {
            var order = new OrderRequest();
            order.userId = string(json, "userId", "userId");
            order.items = items(json);
            order.total = number(json, "total", "total");
            if (!errors.isEmpty()) {
                String listed = String.join("; ", errors.stream().limit(MAX_LISTED).toList());
                throw bad(
                        errors.size() > MAX_LISTED
                                ? listed + "; and " + (errors.size() - MAX_LISTED) + " more"
                                : listed);
            }
            return order;
        }

        private List<OrderRequest.OrderItemRequest> items(JsonObject json) {
            JsonValue value = json.get("items");
            if (value == null || value == JsonValue.NULL) return null;
            if (!(value instanceof JsonArray array)) return wrong("items", "an array");
            // checked here, not only by @Size: each of 10,000 null items would be its own violation
            if (array.size() > OrderRequest.MAX_ITEMS)
                throw bad("items: must hold 1 to " + OrderRequest.MAX_ITEMS + " items");
            List<OrderRequest.OrderItemRequest> items = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                JsonValue element = array.get(i);
                String path = "items[" + i + "]";
                if (element == JsonValue.NULL) {
                    items.add(null);
                } else if (element instanceof JsonObject object) {
                    var item = new OrderRequest.OrderItemRequest();
                    item.sku = string(object, "sku", path + ".sku");
                    item.qty = number(object, "qty", path + ".qty");
                    item.price = number(object, "price", path + ".price");
                    items.add(item);
                } else {
                    wrong(path, "an object");
                }
            }
            return items;
        }

        private String string(JsonObject json, String name, String path) {
            JsonValue value = json.get(name);
            if (value == null || value == JsonValue.NULL) return null;
            if (value instanceof JsonString string) return string.getString();
            return wrong(path, "a string");
        }

        private BigDecimal number(JsonObject json, String name, String path) {
            JsonValue value = json.get(name);
            if (value == null || value == JsonValue.NULL) return null;
            if (value instanceof JsonNumber number) return number.bigDecimalValue();
            return wrong(path, "a number");
        }

        private <T> T wrong(String path, String what) {
            errors.add(path + ": must be " + what);
            return null;
        }
    }
}
