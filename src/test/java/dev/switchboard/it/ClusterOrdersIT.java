package dev.switchboard.it;

import static dev.switchboard.it.Orders.json;
import static dev.switchboard.it.TestCluster.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Orders across the 3-node cluster: notifications on any node, one rate limit, one cache, health
 * per dependency.
 */
class ClusterOrdersIT {
    @Test
    void an_order_placed_on_one_node_is_notified_to_the_users_sockets_on_the_others_in_order() {
        String user = Unique.name("c-buyer");
        String token = TestTokens.token(user);
        try (var second = WsClient.connect(node(1), token);
                var third = WsClient.connect(node(2), token)) {
            String id = Orders.place(node(0), user, token).getString("orderId");
            for (WsClient socket : List.of(second, third)) {
                JsonObject created = socket.await("notification");
                assertEquals("order.created", created.getString("event"));
                assertEquals(id, created.getJsonObject("data").getString("orderId"));
                JsonObject updated =
                        socket.await("notification", n -> true, Duration.ofSeconds(10));
                assertEquals("order.updated", updated.getString("event"));
                assertEquals("confirmed", updated.getJsonObject("data").getString("status"));
            }
            // each event once per socket
            second.expectNone("notification", n -> true, Duration.ofMillis(500));
        }
    }

    @Test
    void the_order_rate_limit_counts_a_users_orders_on_every_node() {
        String user = Unique.name("c-hasty");
        String token = TestTokens.token(user);
        for (int i = 0; i < 10; i++) Orders.place(node(i % 3), user, token);
        HttpResponse<String> refused = node(2).postJson("/api/orders", Orders.body(user), token);
        OrdersIT.assertProblem(refused, 429);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void the_order_cache_is_shared_by_the_nodes_and_a_miss_refills_it() {
        String user = Unique.name("c-reader");
        String token = TestTokens.token(user);
        String id = Orders.place(node(0), user, token).getString("orderId");
        assertEquals(
                "hit",
                node(1).get("/api/orders/" + id, token)
                        .headers()
                        .firstValue("X-Cache")
                        .orElseThrow());
        try (var redis = new Jedis(URI.create(TestCluster.redisUri()))) {
            assertEquals(1, redis.del("sb:order:" + id));
        }
        HttpResponse<String> miss = node(2).get("/api/orders/" + id, token);
        assertEquals(200, miss.statusCode());
        assertEquals("miss", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(id, json(miss).getString("orderId"));
        assertEquals(
                "hit",
                node(0).get("/api/orders/" + id, token)
                        .headers()
                        .firstValue("X-Cache")
                        .orElseThrow());
    }

    @Test
    void health_lists_database_redis_and_rabbitmq_each_up_with_the_node_id() {
        for (SwitchboardNode node : TestCluster.nodes()) {
            HttpResponse<String> response = node.get("/health");
            assertEquals(200, response.statusCode(), response.body());
            JsonObject health = json(response);
            assertEquals("UP", health.getString("status"));
            var checks = health.getJsonArray("checks").getValuesAs(JsonObject.class);
            for (String dependency : Set.of("database", "redis", "rabbitmq")) {
                JsonObject check =
                        checks.stream()
                                .filter(c -> dependency.equals(c.getString("name")))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        "no "
                                                                + dependency
                                                                + " check in "
                                                                + response.body()));
                assertEquals("UP", check.getString("status"));
                assertEquals(node.name(), check.getJsonObject("data").getString("node"));
                assertTrue(check.getJsonObject("data").containsKey("latencyMs"), check.toString());
            }
        }
    }
}
