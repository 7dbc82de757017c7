package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The broker's retry and dead-letter path for orders: a cluster-mode node (its own RabbitMQ
 * virtual host and database) whose payment step always fails.
 */
class ClusterOrderFailureIT {
    private static final String VHOST = "switchboard-it-orders-" + UUID.randomUUID().toString().substring(0, 6);
    private static SwitchboardNode node;

    @BeforeAll
    static void start() {
        Services.createVhost(VHOST);
        Map<String, String> env = TestNodes.postgresSettings(TestNodes.freshDatabase());
        env.put("SWITCHBOARD_REDIS_URI", TestCluster.separateRedisUri());
        env.put("SWITCHBOARD_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/" + VHOST);
        env.put("SWITCHBOARD_ORDERS_FAIL_RATE", "1");
        env.put("SWITCHBOARD_ORDERS_RETRY_BACKOFF_MS", "100");
        node = SwitchboardNode.create("orders-fail-" + VHOST.substring(VHOST.length() - 6), env).start();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.stop();
        Services.deleteVhost(VHOST);
    }

    @Test
    void an_order_that_fails_every_try_is_failed_notified_and_dead_lettered_on_the_broker() {
        String user = Unique.name("c-unlucky");
        Orders.placeAndAwaitOutcome(node, user, "failed");
        // store and broker figures are read at most every 10 s (ApplicationMeters)
        PrometheusText metrics = Poll.until(Duration.ofSeconds(15), Duration.ofMillis(500), () -> PrometheusText.parse(node.get("/metrics").body()),
                m -> m.value("switchboard_orders", Map.of("status", "failed")) >= 1, m -> "no failed order in /metrics within 15 s");
        assertEquals(1.0, metrics.value("switchboard_dead_letters", Map.of("queue", "switchboard.orders.dead")));
        assertEquals(1.0, metrics.value("switchboard_orders", Map.of("status", "failed")));
    }
}
