package dev.switchboard.it;

import static dev.switchboard.it.Orders.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Section 3's order rows against one node (PostgreSQL store, order cache TTL 2 s): creation, the
 * lifecycle with its notifications, reading (cache hit and miss), listing, ownership, validation
 * and the per-user rate limit.
 */
class OrdersIT {
    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void an_order_is_created_pending_and_its_user_sees_created_then_confirmed_on_every_socket() {
        String user = Unique.name("buyer");
        String token = TestTokens.token(user);
        try (var phone = WsClient.connect(node, token);
                var laptop = WsClient.connect(node, token)) {
            HttpResponse<String> response = node.postJson("/api/orders", Orders.body(user), token);
            assertEquals(201, response.statusCode(), response.body());
            JsonObject order = json(response);
            String id = order.getString("orderId");
            assertEquals(
                    node.uri("/api/orders/" + id).toString(),
                    response.headers().firstValue("Location").orElseThrow());
            assertEquals("pending", order.getString("status"));
            assertEquals(user, order.getString("userId"));
            assertEquals(
                    0,
                    order.getJsonNumber("total")
                            .bigDecimalValue()
                            .compareTo(new java.math.BigDecimal("3.00")));
            assertEquals(2, order.getJsonArray("items").size());
            assertEquals("tea", order.getJsonArray("items").getJsonObject(0).getString("sku"));
            Instant.parse(order.getString("createdAt"));
            Instant.parse(order.getString("updatedAt"));

            for (WsClient socket : List.of(phone, laptop)) {
                JsonObject created =
                        socket.await(
                                "notification",
                                n -> n.getJsonObject("data").getString("orderId").equals(id));
                assertEquals("order.created", created.getString("event"));
                assertEquals("pending", created.getJsonObject("data").getString("status"));
                JsonObject updated =
                        socket.await(
                                "notification",
                                n -> n.getString("event").equals("order.updated"),
                                Duration.ofSeconds(10));
                assertEquals(id, updated.getJsonObject("data").getString("orderId"));
                assertEquals("confirmed", updated.getJsonObject("data").getString("status"));
            }
            // the cache was updated with the change, never left stale
            HttpResponse<String> read = node.get("/api/orders/" + id, token);
            assertEquals(200, read.statusCode());
            assertEquals("confirmed", json(read).getString("status"));
        }
    }

    @Test
    void reading_an_order_says_whether_the_cache_answered() {
        String user = Unique.name("reader");
        String token = TestTokens.token(user);
        String id = Orders.place(node, user, token).getString("orderId");
        HttpResponse<String> first = node.get("/api/orders/" + id, token);
        assertEquals(200, first.statusCode());
        assertEquals("hit", first.headers().firstValue("X-Cache").orElseThrow());
        for (String key :
                List.of(
                        "orderId",
                        "userId",
                        "items",
                        "total",
                        "status",
                        "createdAt",
                        "updatedAt")) {
            assertTrue(json(first).containsKey(key), key);
        }
        // past the 2 s TTL the database answers, and fills the cache again (an expiry gives no
        // event to wait for)
        HttpResponse<String> read =
                Poll.until(
                        Duration.ofSeconds(10),
                        Duration.ofMillis(250),
                        () -> node.get("/api/orders/" + id, token),
                        r -> "miss".equals(r.headers().firstValue("X-Cache").orElse("")),
                        r ->
                                "expected X-Cache: miss within 10 s, was "
                                        + (r == null
                                                ? "no answer"
                                                : r.headers()
                                                        .firstValue("X-Cache")
                                                        .orElse("none")));
        assertEquals(json(first).getString("orderId"), json(read).getString("orderId"));
        assertEquals(
                "hit",
                node.get("/api/orders/" + id, token).headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void a_user_lists_their_own_orders_newest_first() {
        String user = Unique.name("lister");
        String token = TestTokens.token(user);
        String first = Orders.place(node, user, token).getString("orderId");
        String second = Orders.place(node, user, token).getString("orderId");
        HttpResponse<String> response = node.get("/api/orders?userId=" + user, token);
        assertEquals(200, response.statusCode());
        List<String> ids =
                Orders.array(response).getValuesAs(JsonObject.class).stream()
                        .map(o -> o.getString("orderId"))
                        .toList();
        assertEquals(List.of(second, first), ids);
    }

    @Test
    void orders_belong_to_the_tokens_user() {
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        String aliceToken = TestTokens.token(alice);
        String bobToken = TestTokens.token(bob);
        String id = Orders.place(node, alice, aliceToken).getString("orderId");

        assertProblem(node.postJson("/api/orders", Orders.body(alice), bobToken), 403);
        assertProblem(node.get("/api/orders/" + id, bobToken), 404); // existence not revealed
        assertProblem(node.get("/api/orders/no-such-order", aliceToken), 404);
        assertProblem(node.get("/api/orders?userId=" + alice, bobToken), 403);
        assertProblem(node.postJson("/api/orders", Orders.body(alice)), 401);
        assertProblem(node.get("/api/orders/" + id), 401);
        assertProblem(node.get("/api/orders/" + id, TestTokens.unsigned(alice)), 401);
    }

    @Test
    void an_invalid_body_is_a_400_naming_the_bad_field() {
        String user = Unique.name("careless");
        String token = TestTokens.token(user);
        String u = "\"userId\":\"" + user + "\"";
        assertBadField(
                token, "{" + u + ",\"items\":[{\"sku\":\"a\",\"qty\":1,\"price\":1}]}", "total");
        assertBadField(
                token, "{\"items\":[{\"sku\":\"a\",\"qty\":1,\"price\":1}],\"total\":1}", "userId");
        assertBadField(
                token,
                "{\"userId\":\"no spaces\",\"items\":[{\"sku\":\"a\",\"qty\":1,\"price\":1}],\"total\":1}",
                "userId");
        assertBadField(token, "{" + u + ",\"items\":[],\"total\":0}", "items");
        assertBadField(token, "{" + u + ",\"total\":0}", "items");
        assertBadField(
                token,
                "{" + u + ",\"items\":[{\"sku\":\"a\",\"qty\":0,\"price\":1}],\"total\":0}",
                "items[0].qty");
        assertBadField(
                token,
                "{" + u + ",\"items\":[{\"sku\":\"a\",\"qty\":1.5,\"price\":1}],\"total\":1.5}",
                "items[0].qty");
        assertBadField(
                token,
                "{" + u + ",\"items\":[{\"sku\":\"a\",\"qty\":1,\"price\":-1}],\"total\":-1}",
                "items[0].price");
        assertBadField(
                token,
                "{" + u + ",\"items\":[{\"qty\":1,\"price\":1}],\"total\":1}",
                "items[0].sku");
        assertBadField(
                token,
                "{" + u + ",\"items\":[{\"sku\":\"a\",\"qty\":3,\"price\":0.1}],\"total\":0.31}",
                "total");
        HttpResponse<String> malformed = node.postJson("/api/orders", "{\"userId\":", token);
        assertProblem(malformed, 400);
        assertTrue(json(malformed).getString("detail").contains("JSON"), malformed.body());
        // exact decimals: 0.1 + 0.2 is 0.3
        HttpResponse<String> exact =
                node.postJson(
                        "/api/orders",
                        "{"
                                + u
                                + ",\"items\":[{\"sku\":\"a\",\"qty\":1,\"price\":0.1},{\"sku\":\"b\",\"qty\":1,\"price\":0.2}],\"total\":0.3}",
                        token);
        assertEquals(201, exact.statusCode(), exact.body());
    }

    @Test
    void past_ten_orders_a_minute_a_user_gets_429_with_retry_after() {
        String user = Unique.name("hasty");
        String token = TestTokens.token(user);
        for (int i = 0; i < 10; i++) Orders.place(node, user, token);
        HttpResponse<String> refused = node.postJson("/api/orders", Orders.body(user), token);
        assertProblem(refused, 429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // the limit is per user
        String other = Unique.name("patient");
        assertEquals(
                201,
                node.postJson("/api/orders", Orders.body(other), TestTokens.token(other))
                        .statusCode());
    }

    private void assertBadField(String token, String body, String field) {
        HttpResponse<String> response = node.postJson("/api/orders", body, token);
        assertProblem(response, 400);
        String detail = json(response).getString("detail");
        assertTrue(
                detail.startsWith(field + ":") || detail.contains("; " + field + ":"),
                "expected " + field + " named in: " + detail);
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(
                response.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("application/problem+json"),
                response.headers().toString());
        JsonObject problem = json(response);
        assertEquals(status, problem.getInt("status"));
        assertTrue(!problem.getString("title").isBlank() && !problem.getString("detail").isBlank());
        assertTrue(!response.body().contains("Exception"), response.body());
    }
}
