package dev.switchboard.it;

import static dev.switchboard.it.TestCluster.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The cluster under failure: a node killed, the broker restarted, Redis restarted. Each test leaves
 * the services up.
 */
class ClusterFaultsIT {
    private static WsClient connect(SwitchboardNode node, String user) {
        return WsClient.connect(node, TestTokens.token(user));
    }

    @Test
    void a_killed_nodes_users_go_offline_and_leave_their_rooms_within_the_node_timeout() {
        String room = Unique.name("c-kill");
        String victim = Unique.name("victim"), watcher = Unique.name("watcher");
        SwitchboardNode doomed = TestCluster.extraNode("k" + Unique.name("n").hashCode()).start();
        try (var watching = connect(node(0), watcher);
                var onDoomed = connect(doomed, victim)) {
            watching.join(room);
            onDoomed.join(room);
            watching.await("member_joined", f -> victim.equals(f.getString("user")));
            long killedAt = System.nanoTime();
            doomed.kill();
            Duration limit = Duration.ofSeconds(TestCluster.NODE_TIMEOUT_SECONDS + 5);
            watching.await(
                    "presence",
                    f ->
                            victim.equals(f.getString("user"))
                                    && "offline".equals(f.getString("status")),
                    limit);
            watching.await("member_left", f -> victim.equals(f.getString("user")), limit);
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            assertTrue(
                    took.compareTo(limit) <= 0, "reported within node-timeout + 5 s, took " + took);
            JsonObject presence =
                    json(
                            node(1).get("/api/presence?user=" + victim, TestTokens.token(watcher))
                                    .body());
            assertEquals("offline", presence.getString(victim));
        } finally {
            doomed.kill();
        }
    }

    @Test
    void routing_recovers_after_a_rabbitmq_restart_and_no_acked_message_is_lost() throws Exception {
        String room = Unique.name("c-broker");
        List<WsClient> clients =
                List.of(
                        connect(node(0), Unique.name("b0")),
                        connect(node(1), Unique.name("b1")),
                        connect(node(2), Unique.name("b2")));
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        try {
            clients.forEach(c -> c.join(room));
            Thread senders =
                    new Thread(
                            () -> {
                                long deadline =
                                        System.nanoTime() + Duration.ofSeconds(90).toNanos();
                                for (int i = 0;
                                        sending.get() && System.nanoTime() < deadline;
                                        i++) {
                                    clients.get(i % 2)
                                            .send(
                                                    Frames.send(
                                                            room, "during restart " + i, "r" + i));
                                    try {
                                        Thread.sleep(
                                                100); // a steady trickle of sends while the broker
                                        // restarts
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            });
            senders.start();
            Services.restartRabbitMq();
            long restartedAt = System.nanoTime();
            // routing works again on every node: a probe from each node reaches the sockets on the
            // others
            for (int from = 0; from < 3; from++) {
                String probe = "probe from " + from;
                for (int to = 0; to < 3; to++) {
                    if (to == from) continue;
                    awaitRouted(clients.get(from), clients.get(to), room, probe, restartedAt);
                }
            }
            sending.set(false);
            senders.join(10_000);
            for (WsClient c : clients.subList(0, 2)) {
                c.takeAll(f -> "ack".equals(f.getString("type")))
                        .forEach(f -> acked.add(f.getString("id")));
                // while the broker was away, sends were refused, not acked: nothing acked that is
                // not durable
                c.takeAll(f -> "error".equals(f.getString("type")))
                        .forEach(
                                f ->
                                        assertEquals(
                                                "unavailable", f.getString("code"), f.toString()));
            }
            assertTrue(acked.size() > 10, "messages were acked during the test: " + acked.size());
            TestCluster.awaitStored(room, acked);
            for (WsClient c : clients) {
                Set<String> view = new HashSet<>();
                c.takeAll(f -> "message".equals(f.getString("type")))
                        .forEach(f -> view.add(f.getString("id")));
                c.send(Frames.join(room, 0));
                JsonObject recovered =
                        c.await("joined", f -> f.containsKey("recovered"), Duration.ofSeconds(15));
                assertTrue(recovered.getBoolean("recovered"));
                recovered
                        .getJsonArray("messages")
                        .getValuesAs(JsonObject.class)
                        .forEach(m -> view.add(m.getString("id")));
                Set<String> missing = new HashSet<>(acked);
                missing.removeAll(view);
                assertEquals(
                        Set.of(),
                        missing,
                        "acked messages missing from a socket's view after recovery");
            }
        } finally {
            sending.set(false);
            clients.forEach(WsClient::close);
        }
    }

    /** Sends probes from one socket until one arrives at the other, within 30 s of the restart. */
    private static void awaitRouted(
            WsClient from, WsClient to, String room, String probe, long restartedAt) {
        long deadline = restartedAt + Duration.ofSeconds(30).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            String text = probe + " #" + attempt;
            from.send(Frames.send(room, text, null));
            try {
                to.await("message", f -> text.equals(f.getString("text")), Duration.ofSeconds(1));
                return;
            } catch (AssertionError notYet) {
                // the broker or the node's consumer is still recovering: probe again
            }
        }
        fail("routing did not recover within 30 s of the broker restart");
    }

    @Test
    void nodes_recover_after_a_redis_restart_without_a_restart_of_their_own() {
        String room = Unique.name("c-redis");
        String a = Unique.name("ra"), b = Unique.name("rb"), c = Unique.name("rc");
        try (var first = connect(node(0), a);
                var second = connect(node(1), b)) {
            first.join(room);
            second.join(room);
            Services.stopRedis();
            // health says so: Redis DOWN, the node not ready, /health 503
            JsonObject down = awaitHealth(node(1), "/health/ready", 503);
            assertEquals("DOWN", check(down, "redis").getString("status"));
            assertEquals("UP", check(down, "rabbitmq").getString("status"));
            assertEquals(503, node(1).get("/health").statusCode());
            // what needs Redis meanwhile is refused as a dependency outage, with a time to retry:
            // never 'internal' or a 500
            first.send(Frames.send(room, "while redis is down", "rd"));
            JsonObject refused = first.await("error", f -> "rd".equals(f.getString("ref", null)));
            assertEquals("unavailable", refused.getString("code"), refused.toString());
            assertTrue(refused.getJsonNumber("retryAfterMs").longValue() > 0, refused.toString());
            var presenceDown = node(1).get("/api/presence?user=" + a, TestTokens.token(c));
            assertEquals(503, presenceDown.statusCode(), presenceDown.body());
            assertTrue(
                    presenceDown.headers().firstValue("Retry-After").isPresent(),
                    "503 without Retry-After");
            Services.startRedis();
            JsonObject up = awaitHealth(node(1), "/health", 200);
            assertEquals("UP", check(up, "redis").getString("status"));
            assertEquals(
                    node(1).name(), check(up, "redis").getJsonObject("data").getString("node"));
            // presence and membership are registered again by the nodes' heartbeats
            Poll.until(
                    Duration.ofSeconds(20),
                    Duration.ofMillis(250),
                    () ->
                            json(
                                    node(2).get(
                                                    "/api/presence?user=" + a + "&user=" + b,
                                                    TestTokens.token(c))
                                            .body()),
                    presence ->
                            "online".equals(presence.getString(a, ""))
                                    && "online".equals(presence.getString(b, "")),
                    presence ->
                            "presence not restored within 20 s of the Redis restart: " + presence);
            try (var third = connect(node(2), c)) {
                JsonObject joined = third.join(room);
                assertEquals(
                        Set.of(a, b, c),
                        new HashSet<>(
                                joined.getJsonArray("members")
                                        .getValuesAs(
                                                v -> ((jakarta.json.JsonString) v).getString())));
                // sends work again (seqs come from Redis): retry while the pools replace their
                // broken connections
                JsonObject ack = null;
                long sendDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                for (int i = 0; ack == null && System.nanoTime() < sendDeadline; i++) {
                    String ref = "ar" + i;
                    first.send(Frames.send(room, "after redis " + i, ref));
                    try {
                        ack =
                                first.await(
                                        "ack",
                                        f -> ref.equals(f.getString("ref", null)),
                                        Duration.ofSeconds(2));
                    } catch (AssertionError notYet) {
                        // answered unavailable while a pooled connection was still broken: send
                        // again
                    }
                }
                if (ack == null) fail("no send was acked within 20 s of the Redis restart");
                String id = ack.getString("id");
                second.await("message", f -> id.equals(f.getString("id")));
                third.await("message", f -> id.equals(f.getString("id")));
            }
        } finally {
            if (!Services.portOpen(6379)) Services.startRedis();
        }
    }

    /**
     * Polls a health path until it answers the status (at most 20 s), and returns its MicroProfile
     * Health body.
     */
    private static JsonObject awaitHealth(SwitchboardNode node, String path, int status) {
        var response =
                Poll.until(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(200),
                        () -> node.get(path),
                        r -> r.statusCode() == status,
                        r ->
                                path
                                        + " did not answer "
                                        + status
                                        + " within 20 s: "
                                        + (r == null
                                                ? "no answer"
                                                : r.statusCode() + " " + r.body()));
        return json(response.body());
    }

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> name.equals(c.getString("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " check in " + health));
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
