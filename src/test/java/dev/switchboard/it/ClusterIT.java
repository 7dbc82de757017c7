package dev.switchboard.it;

import static dev.switchboard.it.TestCluster.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 2 with the sockets of each case spread over the nodes of a 3-node cluster.
 */
class ClusterIT {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static WsClient connect(int node, String user) {
        return WsClient.connect(node(node), TestTokens.token(user));
    }

    /**
     * PROTOCOL.md section 4: 20 sockets per user (the default), counted on all nodes together, also
     * when they race.
     */
    @Test
    void a_user_gets_exactly_max_sockets_across_the_nodes_when_more_connect_at_once() {
        int maxSockets = 20;
        String token = TestTokens.token(Unique.name("everywhere"));
        List<CompletableFuture<WsClient>> attempts = new ArrayList<>();
        ExecutorService racers =
                Executors.newFixedThreadPool(
                        maxSockets + 7); // all at once, not the common pool's one per core
        for (int i = 0; i < maxSockets + 7; i++) {
            int n = i % 3;
            attempts.add(
                    CompletableFuture.supplyAsync(
                            () -> WsClient.connectOrRefused(node(n).wsUri(token)), racers));
        }
        List<WsClient> admitted =
                attempts.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
        racers.shutdown();
        try {
            assertEquals(
                    maxSockets,
                    admitted.size(),
                    "sockets admitted of " + attempts.size() + " at once on 3 nodes");
            admitted.forEach(WsClient::assertOpen);
            for (int n = 0; n < 3; n++) {
                assertEquals(
                        "429",
                        WsClient.refusal(node(n).wsUri(token), null),
                        "one more on node " + n);
            }
        } finally {
            admitted.forEach(WsClient::close);
        }
    }

    @Test
    void members_and_member_events_span_the_nodes() {
        String room = Unique.name("c-members");
        String a = Unique.name("ann"), b = Unique.name("ben");
        try (var onFirst = connect(0, a);
                var onSecond = connect(1, b)) {
            onFirst.join(room);
            JsonObject joined = onSecond.join(room);
            assertEquals(
                    Set.of(a, b),
                    Set.copyOf(
                            joined.getJsonArray("members")
                                    .getValuesAs(v -> ((jakarta.json.JsonString) v).getString())));
            onFirst.await(
                    "member_joined",
                    f -> b.equals(f.getString("user")) && room.equals(f.getString("room")));
            onSecond.send(Frames.leave(room)).await("left");
            onFirst.await("member_left", f -> b.equals(f.getString("user")));
        }
    }

    @Test
    void
            every_socket_on_every_node_gets_every_message_exactly_once_in_seq_and_sender_order_3_nodes_x_200() {
        String room = Unique.name("c-exactly-once");
        List<WsClient> clients = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            users.add(Unique.name("eo" + i));
            clients.add(connect(i, users.get(i)));
            clients.get(i).join(room);
        }
        try {
            for (int m = 0; m < 200; m++) {
                for (int i = 0; i < 3; i++)
                    clients.get(i).send(Frames.send(room, users.get(i) + " " + m, null));
            }
            for (WsClient c : clients) {
                List<JsonObject> messages = c.awaitAll("message", 600, LONG);
                c.expectNone(
                        "message", f -> room.equals(f.getString("room")), Duration.ofMillis(500));
                assertEquals(
                        600,
                        messages.stream().map(f -> f.getString("id")).distinct().count(),
                        "600 distinct messages");
                assertEquals(
                        LongStream.rangeClosed(1, 600).boxed().collect(Collectors.toSet()),
                        messages.stream()
                                .map(f -> f.getJsonNumber("seq").longValue())
                                .collect(Collectors.toSet()),
                        "one seq per message, 1..600 with no gap or repeat, across the cluster");
                Map<String, Long> lastSeqOfSender = new HashMap<>();
                Map<String, Integer> nextTextOfSender = new HashMap<>();
                for (JsonObject f : messages) {
                    String from = f.getString("from");
                    long seq = f.getJsonNumber("seq").longValue();
                    assertTrue(
                            seq > lastSeqOfSender.getOrDefault(from, 0L),
                            "seqs of one sender grow in arrival order");
                    lastSeqOfSender.put(from, seq);
                    int expected = nextTextOfSender.merge(from, 1, Integer::sum) - 1;
                    assertEquals(
                            from + " " + expected,
                            f.getString("text"),
                            "messages of one sender arrive in the order sent");
                }
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void
            a_direct_message_reaches_every_socket_of_the_recipient_and_the_senders_other_sockets_on_any_node() {
        String a = Unique.name("dm-a"), b = Unique.name("dm-b");
        try (var sender = connect(0, a);
                var sendersOther = connect(2, a);
                var recipient1 = connect(1, b);
                var recipient2 = connect(2, b)) {
            sender.send(Frames.direct(b, "across the cluster", "d1"));
            JsonObject ack = sender.await("ack", f -> "d1".equals(f.getString("ref", null)));
            for (WsClient c : List.of(sendersOther, recipient1, recipient2)) {
                JsonObject direct = c.await("direct");
                assertEquals(ack.getString("id"), direct.getString("id"));
                assertEquals("across the cluster", direct.getString("text"));
                assertEquals(node(0).name(), direct.getString("node"), "node that accepted it");
            }
            sender.expectNone("direct", f -> true, Duration.ofMillis(300));
        }
    }

    @Test
    void presence_and_typing_cross_the_nodes() {
        String room = Unique.name("c-presence");
        String a = Unique.name("pa"), b = Unique.name("pb");
        try (var first = connect(0, a);
                var second = connect(1, b)) {
            first.join(room);
            second.join(room);
            second.send(Frames.status("away"));
            first.await(
                    "presence",
                    f -> b.equals(f.getString("user")) && "away".equals(f.getString("status")));
            var presence =
                    node(2).get("/api/presence?user=" + b + "&user=" + a, TestTokens.token(a));
            assertEquals(
                    Json.createObjectBuilder().add(b, "away").add(a, "online").build(),
                    Json.createReader(new StringReader(presence.body())).readObject());
            first.send(Frames.typing(room, true));
            second.await("typing", f -> a.equals(f.getString("user")) && f.getBoolean("active"));
            first.expectNone("typing", f -> true, Duration.ofMillis(300));
            second.close();
            first.await(
                    "presence",
                    f -> b.equals(f.getString("user")) && "offline".equals(f.getString("status")));
        }
    }

    @Test
    void the_rate_limit_counts_a_users_messages_on_all_nodes_together() {
        String room = Unique.name("c-rate");
        String user = Unique.name("rl");
        try (var one = connect(0, user);
                var two = connect(1, user)) {
            one.join(room);
            two.join(room);
            int total = TestCluster.CHAT_RATE + 10;
            for (int i = 0; i < total; i++)
                (i % 2 == 0 ? one : two).send(Frames.send(room, "m" + i, "r" + i));
            int acks = 0, limited = 0;
            List<JsonObject> answers = new ArrayList<>();
            answers.addAll(collectAnswers(one, total / 2));
            answers.addAll(collectAnswers(two, total / 2));
            for (JsonObject a : answers) {
                if ("ack".equals(a.getString("type"))) acks++;
                else if ("rate_limited".equals(a.getString("code"))) {
                    limited++;
                    assertTrue(a.getJsonNumber("retryAfterMs").longValue() > 0);
                }
            }
            assertEquals(TestCluster.CHAT_RATE, acks, "accepted across both nodes");
            assertEquals(10, limited, "refused once the user's cluster-wide rate was spent");
        }
    }

    /** Every ack or error answering a frame with a ref, in arrival order. */
    private static List<JsonObject> collectAnswers(WsClient client, int count) {
        List<JsonObject> answers = new ArrayList<>();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (answers.size() < count && System.nanoTime() < deadline) {
            answers.addAll(
                    client.takeAll(
                            f ->
                                    f.containsKey("ref")
                                            && ("ack".equals(f.getString("type"))
                                                    || "error".equals(f.getString("type")))));
            if (answers.size() < count) client.awaitAny(Duration.ofMillis(200));
        }
        assertEquals(count, answers.size(), "an answer for every frame");
        return answers;
    }

    @Test
    void recovery_with_since_works_after_reconnecting_to_another_node() {
        String room = Unique.name("c-recover");
        String reader = Unique.name("rec"), writer = Unique.name("wri");
        long lastSeen;
        try (var writerSocket = connect(1, writer)) {
            writerSocket.join(room);
            try (var first = connect(0, reader)) {
                first.join(room);
                writerSocket.send(Frames.send(room, "seen", "s0")).await("ack");
                lastSeen = first.await("message").getJsonNumber("seq").longValue();
            }
            for (int i = 0; i < 5; i++)
                writerSocket.send(Frames.send(room, "missed " + i, "m" + i));
            writerSocket.awaitAll("ack", 5, LONG);
            try (var again = connect(2, reader)) {
                again.send(Frames.join(room, lastSeen));
                JsonObject joined = again.await("joined");
                assertTrue(joined.getBoolean("recovered"));
                List<String> texts =
                        joined.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                                .map(m -> m.getString("text"))
                                .toList();
                assertEquals(
                        List.of("missed 0", "missed 1", "missed 2", "missed 3", "missed 4"), texts);
            }
        }
    }

    @Test
    void a_node_with_no_socket_in_a_room_receives_none_of_its_traffic() {
        String room = Unique.name("c-interest");
        try (var a = connect(0, Unique.name("ia"));
                var b = connect(1, Unique.name("ib"))) {
            a.join(room);
            b.join(room);
            long thirdBefore = receivedFromOtherNodes(node(2));
            long secondBefore = receivedFromOtherNodes(node(1));
            for (int i = 0; i < 50; i++)
                a.send(Frames.send(room, "only for nodes with members " + i, null));
            b.awaitAll("message", 50, LONG);
            assertTrue(
                    receivedFromOtherNodes(node(1)) >= secondBefore + 50,
                    "the node with a member received them");
            assertEquals(
                    thirdBefore,
                    receivedFromOtherNodes(node(2)),
                    "the node without members received none");
        }
    }

    private static long receivedFromOtherNodes(SwitchboardNode node) {
        JsonObject stats =
                Json.createReader(new StringReader(node.get("/stats").body())).readObject();
        return stats.getJsonObject("routing").getJsonNumber("receivedFromOtherNodes").longValue();
    }

    @Test
    void stats_report_the_whole_cluster() {
        String user = Unique.name("st");
        try (var a = connect(0, user);
                var b = connect(1, Unique.name("st2"))) {
            // the cluster-wide figures are at most a second old (ClusterStats)
            JsonObject stats =
                    Poll.until(
                            Duration.ofSeconds(5),
                            Duration.ofMillis(250),
                            () ->
                                    Json.createReader(
                                                    new StringReader(node(2).get("/stats").body()))
                                            .readObject(),
                            s -> s.getInt("onlineUsers") >= 2,
                            s -> "onlineUsers below 2: " + s);
            assertEquals(node(2).name(), stats.getString("node"));
            Set<String> ids = new HashSet<>();
            stats.getJsonArray("nodes")
                    .getValuesAs(JsonObject.class)
                    .forEach(n -> ids.add(n.getString("id")));
            assertTrue(
                    ids.containsAll(List.of(node(0).name(), node(1).name(), node(2).name())),
                    "every live node listed: " + ids);
        }
    }

    @Test
    void health_names_each_dependency_without_its_address() {
        String health = node(0).get("/health").body();
        JsonObject json = Json.createReader(new StringReader(health)).readObject();
        Set<String> names = new HashSet<>();
        json.getJsonArray("checks")
                .getValuesAs(JsonObject.class)
                .forEach(c -> names.add(c.getString("name")));
        assertTrue(names.containsAll(List.of("database", "redis", "rabbitmq")), health);
        for (String leak :
                List.of(
                        "127.0.0.1",
                        "localhost",
                        ":6379",
                        ":5672",
                        ":5432",
                        "redis://",
                        "amqp://")) {
            assertTrue(!health.contains(leak), "/health shows " + leak + ": " + health);
        }
    }
}
