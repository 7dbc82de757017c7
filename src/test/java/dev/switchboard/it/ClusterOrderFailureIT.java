package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker's retry and dead-letter path for orders: a cluster-mode node (its own RabbitMQ virtual
 * host and database) whose payment step always fails.
 */
class ClusterOrderFailureIT {
    private static final String VHOST =
            "switchboard-it-orders-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String RABBIT_URI = "amqp://guest:guest@127.0.0.1:5672/" + VHOST;

    /** Tries wait 2 s, then 4 s (switchboard.orders.retry-backoff-ms=2000, 3 tries). */
    private static final String LONG_DELAY = "switchboard.orders.process.delay-4000ms";

    private static SwitchboardNode node;

    @BeforeAll
    static void start() {
        Services.createVhost(VHOST);
        Map<String, String> env = TestNodes.postgresSettings(TestNodes.freshDatabase());
        env.put("SWITCHBOARD_REDIS_URI", TestCluster.separateRedisUri());
        env.put("SWITCHBOARD_RABBITMQ_URI", RABBIT_URI);
        env.put("SWITCHBOARD_ORDERS_FAIL_RATE", "1");
        env.put("SWITCHBOARD_ORDERS_RETRY_BACKOFF_MS", "2000");
        node =
                SwitchboardNode.create("orders-fail-" + VHOST.substring(VHOST.length() - 6), env)
                        .start();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.stop();
        Services.deleteVhost(VHOST);
    }

    @Test
    void an_order_that_fails_every_try_is_failed_notified_and_dead_lettered_on_the_broker() {
        String user = Unique.name("c-unlucky");
        PrometheusText before = PrometheusText.parse(node.get("/metrics").body());
        Orders.placeAndAwaitOutcome(node, user, "failed");
        // store and broker figures are read at most every 10 s (ApplicationMeters); the other
        // test's orders may come first
        double failedBefore = count(before, "switchboard_orders", Map.of("status", "failed"));
        PrometheusText metrics =
                Poll.until(
                        Duration.ofSeconds(15),
                        Duration.ofMillis(500),
                        () -> PrometheusText.parse(node.get("/metrics").body()),
                        m ->
                                count(m, "switchboard_orders", Map.of("status", "failed"))
                                        >= failedBefore + 1,
                        m -> "no new failed order in /metrics within 15 s");
        assertEquals(
                count(
                                before,
                                "switchboard_dead_letters",
                                Map.of("queue", "switchboard.orders.dead"))
                        + 1,
                metrics.value(
                        "switchboard_dead_letters", Map.of("queue", "switchboard.orders.dead")));
        assertEquals(
                count(before, "switchboard_orders", Map.of("status", "failed")) + 1,
                metrics.value("switchboard_orders", Map.of("status", "failed")));
    }

    /**
     * A message TTL expires only at a queue's head: one queue for all backoffs let a long one hold
     * back shorter ones.
     */
    @Test
    void a_retry_with_a_short_backoff_does_not_wait_behind_one_with_a_long_backoff()
            throws Exception {
        String user = Unique.name("c-patient");
        String token = TestTokens.token(user);
        var factory = new ConnectionFactory();
        factory.setUri(RABBIT_URI);
        try (var connection = factory.newConnection();
                var channel = connection.createChannel()) {
            String first = Orders.place(node, user, token).getString("orderId");
            Poll.until(
                    Duration.ofSeconds(15),
                    Duration.ofMillis(50),
                    () -> channel.messageCount(LONG_DELAY),
                    n -> n == 1,
                    n ->
                            "the first order's second failure did not wait in "
                                    + LONG_DELAY
                                    + " ("
                                    + n
                                    + ")");
            // its 4 s wait has begun; the second order's first failure, sent after it, waits 2 s
            String second = Orders.place(node, user, token).getString("orderId");
            Poll.until(
                    Duration.ofSeconds(15),
                    Duration.ofMillis(50),
                    () -> channel.messageCount(LONG_DELAY),
                    n -> n == 2,
                    n ->
                            "the second order's second try did not come while the first order waited ("
                                    + n
                                    + ")");
            assertEquals(
                    "pending",
                    status(first, token),
                    "the first order's wait ended before the shorter one after it");
            awaitStatus(first, token, "failed");
            awaitStatus(second, token, "failed");
        }
    }

    /** NaN (no order of that status yet) counts as 0. */
    private static double count(PrometheusText metrics, String name, Map<String, String> labels) {
        double value = metrics.value(name, labels);
        return Double.isNaN(value) ? 0 : value;
    }

    private static String status(String orderId, String token) {
        return Orders.json(node.get("/api/orders/" + orderId, token)).getString("status");
    }

    private static void awaitStatus(String orderId, String token, String wanted) {
        // polling the order: its notification went to a socket this test does not hold
        Poll.until(
                Duration.ofSeconds(20),
                Duration.ofMillis(200),
                () -> status(orderId, token),
                wanted::equals,
                status -> "order " + orderId + " is " + status + ", not " + wanted);
    }
}
