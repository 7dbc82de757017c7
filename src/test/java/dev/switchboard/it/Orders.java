package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Order bodies and answers for the black-box tests. */
final class Orders {
    private Orders() {}

    /** A valid body: two lines, total 3.00. */
    static String body(String user) {
        return "{\"userId\":\""
                + user
                + "\",\"items\":[{\"sku\":\"tea\",\"qty\":2,\"price\":1.25},{\"sku\":\"cake\",\"qty\":1,\"price\":0.50}],\"total\":3.00}";
    }

    static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    static JsonArray array(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readArray();
        }
    }

    /**
     * Places an order with a socket of the user open: the socket gets {@code order.created}, then
     * {@code order.updated} with the outcome within 10 s, and the order then reads with it.
     */
    static void placeAndAwaitOutcome(SwitchboardNode node, String user, String outcome) {
        String token = TestTokens.token(user);
        try (var socket = WsClient.connect(node, token)) {
            String id = place(node, user, token).getString("orderId");
            assertEquals("order.created", socket.await("notification").getString("event"));
            JsonObject updated =
                    socket.await(
                            "notification",
                            n -> n.getString("event").equals("order.updated"),
                            Duration.ofSeconds(10));
            assertEquals(id, updated.getJsonObject("data").getString("orderId"));
            assertEquals(outcome, updated.getJsonObject("data").getString("status"));
            assertEquals(outcome, json(node.get("/api/orders/" + id, token)).getString("status"));
        }
    }

    static JsonObject place(SwitchboardNode node, String user, String token) {
        HttpResponse<String> response = node.postJson("/api/orders", body(user), token);
        if (response.statusCode() != 201)
            throw new AssertionError(
                    "order not created: " + response.statusCode() + " " + response.body());
        return json(response);
    }
}
