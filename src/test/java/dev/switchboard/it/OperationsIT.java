package dev.switchboard.it;

import static dev.switchboard.it.Orders.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health, metrics and the failing order path against a standalone node whose payment step always
 * fails ({@code switchboard.orders.fail-rate=1}, 100 ms backoff).
 */
class OperationsIT {
    /**
     * How old the store and broker figures of /metrics may be (ApplicationMeters), plus a margin.
     */
    private static final Duration FIGURES_MAX_AGE = Duration.ofSeconds(15);

    private static SwitchboardNode node;

    @BeforeAll
    static void start() {
        node =
                SwitchboardNode.create(
                                "ops-node",
                                Map.of(
                                        "SWITCHBOARD_JWT_SECRET", TestTokens.SECRET,
                                        "SWITCHBOARD_ORDERS_FAIL_RATE", "1",
                                        "SWITCHBOARD_ORDERS_RETRY_BACKOFF_MS", "100"))
                        .start();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.stop();
    }

    @Test
    void an_order_whose_payment_keeps_failing_ends_failed_and_dead_lettered() {
        String user = Unique.name("unlucky");
        Orders.placeAndAwaitOutcome(node, user, "failed");
        // store and broker figures are read at most every 10 s, so a scrape costs no round trips
        Poll.until(
                FIGURES_MAX_AGE,
                Duration.ofMillis(500),
                OperationsIT::metrics,
                m ->
                        m.value(
                                                "switchboard_dead_letters",
                                                Map.of("queue", "switchboard.orders.dead"))
                                        >= 1
                                && m.value("switchboard_orders", Map.of("status", "failed")) >= 1,
                m -> "no dead-lettered failed order in /metrics within " + FIGURES_MAX_AGE);
    }

    @Test
    void
            long_multibyte_messages_and_a_history_frame_over_64_KiB_arrive_intact_through_the_shared_frame_path() {
        String room = Unique.name("frames-room");
        String text = "€é😀".repeat(1000); // 3,000 characters, 9,000 bytes: a 16-bit frame length
        try (var a = WsClient.connect(node, TestTokens.token(Unique.name("alice")));
                var b = WsClient.connect(node, TestTokens.token(Unique.name("bob")))) {
            a.join(room);
            b.join(room);
            for (int i = 0; i < 10; i++) a.send(Frames.send(room, text, "long-" + i));
            List<JsonObject> live = b.awaitAll("message", 10, Duration.ofSeconds(10));
            live.forEach(m -> assertEquals(text, m.getString("text")));

            try (var late = WsClient.connect(node, TestTokens.token(Unique.name("carol")))) {
                JsonObject joined =
                        late.join(room); // 10 x 9,000 bytes of history: a 64-bit frame length
                assertEquals(10, joined.getJsonArray("messages").size());
                joined.getJsonArray("messages")
                        .getValuesAs(JsonObject.class)
                        .forEach(m -> assertEquals(text, m.getString("text")));
            }
        }
        // without the shared path straight to Grizzly (a Payara upgrade that moved Tyrus's or the
        // connector's fields) the frames still arrive, through a slower path: this is what says so
        assertTrue(
                node.log()
                        .contains(
                                "WebSocket frames are encoded once per message and written through Grizzly's connection"),
                "the node fell back to Tyrus's writer or to sendText; see its log");
        // and each open socket let go of what its handshake left in Grizzly and Tyrus (a third of
        // its heap)
        assertTrue(
                node.log()
                        .contains(
                                "Open WebSockets let go of their handshake's headers, parameters and Tyrus's handshake request"),
                "the sockets keep some of what their handshake left; see the node's log");
    }

    @Test
    void metrics_are_prometheus_text_with_the_messaging_and_order_figures() {
        String room = Unique.name("metrics-room");
        try (var a = WsClient.connect(node, TestTokens.token(Unique.name("alice")));
                var b = WsClient.connect(node, TestTokens.token(Unique.name("bob")))) {
            a.join(room);
            b.join(room);
            a.sendMessages(room, 3, "counted-");
            b.awaitAll("message", 3, Duration.ofSeconds(10));
            PrometheusText metrics = metrics();
            assertTrue(metrics.value("switchboard_messages_accepted_total", Map.of()) >= 3);
            assertTrue(metrics.value("switchboard_messages_delivered_total", Map.of()) >= 6);
            assertTrue(metrics.value("switchboard_messages_persisted_total", Map.of()) >= 3);
            assertTrue(metrics.value("switchboard_connections", Map.of()) >= 2);
            Poll.until(
                    FIGURES_MAX_AGE,
                    Duration.ofMillis(500),
                    OperationsIT::metrics,
                    m -> m.value("switchboard_rooms", Map.of()) >= 1,
                    m -> "switchboard_rooms stayed 0 for " + FIGURES_MAX_AGE);
            assertTrue(metrics.value("switchboard_delivery_latency_seconds_count", Map.of()) >= 3);
            assertTrue(metrics.value("switchboard_persist_batch_size_count", Map.of()) >= 1);
            assertTrue(metrics.value("switchboard_persist_batch_size_sum", Map.of()) >= 3);
        }
        PrometheusText metrics = metrics();
        assertEquals("histogram", metrics.types.get("switchboard_delivery_latency_seconds"));
        assertEquals("histogram", metrics.types.get("switchboard_persist_batch_size"));
        assertTrue(metrics.has("switchboard_delivery_latency_seconds_bucket"));
        assertEquals(
                Double.POSITIVE_INFINITY,
                metrics.samples.stream()
                        .filter(s -> s.name().equals("switchboard_persist_batch_size_bucket"))
                        .map(s -> s.labels().get("le"))
                        .map(
                                le ->
                                        le.equals("+Inf")
                                                ? Double.POSITIVE_INFINITY
                                                : Double.parseDouble(le))
                        .max(Double::compare)
                        .orElseThrow());
        for (String status : List.of("pending", "confirmed", "failed"))
            metrics.value("switchboard_orders", Map.of("status", status));
        metrics.value("switchboard_orders_cache_total", Map.of("result", "hit"));
        metrics.value("switchboard_orders_cache_total", Map.of("result", "miss"));
        metrics.value("switchboard_rate_limited_total", Map.of());
        metrics.value("switchboard_dead_letters", Map.of("queue", "switchboard.persist.dead"));
        assertTrue(
                metrics.samples.stream().allMatch(s -> node.name().equals(s.labels().get("node"))),
                "every sample names the node");
    }

    @Test
    void health_reports_one_check_per_dependency_in_the_microprofile_shape() {
        for (String path : List.of("/health", "/health/ready")) {
            HttpResponse<String> response = node.get(path);
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            JsonObject health = json(response);
            assertEquals("UP", health.getString("status"));
            Set<String> names =
                    Set.copyOf(
                            health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                                    .map(c -> c.getString("name"))
                                    .toList());
            assertTrue(names.contains("database"), path + " " + names);
            assertTrue(
                    !names.contains("redis") && !names.contains("rabbitmq"),
                    "a standalone node has no Redis or RabbitMQ check: " + names);
            JsonObject database =
                    health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                            .filter(c -> c.getString("name").equals("database"))
                            .findFirst()
                            .orElseThrow();
            assertEquals("UP", database.getString("status"));
            assertEquals(node.name(), database.getJsonObject("data").getString("node"));
            assertTrue(database.getJsonObject("data").containsKey("latencyMs"));
        }
        assertEquals(200, node.get("/health/live").statusCode());
    }

    private static PrometheusText metrics() {
        HttpResponse<String> response = node.get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(
                response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                response.headers().toString());
        return PrometheusText.parse(response.body());
    }
}
