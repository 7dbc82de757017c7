package dev.switchboard.it;

import static dev.switchboard.it.RoomsIT.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 2, "Messages" and "Direct messages" (exactly-once at scale is {@link
 * RoomMessagesIT}).
 */
class MessagesIT {
    private static final Duration QUIET = Duration.ofMillis(300);

    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void send_is_acked_with_the_ref_the_id_and_the_seq_of_the_message() {
        String room = Unique.name("ack-room");
        String alice = Unique.name("alice");
        try (var a = connect(alice)) {
            long before = a.join(room).getJsonNumber("seq").longValue();
            a.send(Frames.send(room, "hello", "my-ref-1"));
            JsonObject ack = a.await("ack");
            JsonObject message = a.await("message");
            assertEquals("my-ref-1", ack.getString("ref"));
            assertEquals(message.getString("id"), ack.getString("id"));
            assertEquals(before + 1, ack.getJsonNumber("seq").longValue());
            assertEquals(
                    message.getJsonNumber("seq").longValue(), ack.getJsonNumber("seq").longValue());
            // the message frame carries every field of the contract
            assertEquals(room, message.getString("room"));
            assertEquals(alice, message.getString("from"));
            assertEquals(alice + " display", message.getString("name"));
            assertEquals("hello", message.getString("text"));
            assertEquals(node.name(), message.getString("node"));
            assertTrue(
                    Instant.parse(message.getString("ts")).isAfter(Instant.now().minusSeconds(60)),
                    message.toString());
        }
    }

    @Test
    void each_accepted_message_gets_the_next_seq_of_the_room() {
        String room = Unique.name("seq-room");
        try (var a = connect(Unique.name("alice"));
                var b = connect(Unique.name("bob"))) {
            a.join(room);
            b.join(room);
            for (int i = 0; i < 30; i++) {
                a.send(Frames.send(room, "a" + i, "a" + i));
                b.send(Frames.send(room, "b" + i, "b" + i));
            }
            List<JsonObject> messages = a.awaitAll("message", 60, Duration.ofSeconds(20));
            for (int k = 0; k < messages.size(); k++) {
                assertEquals(
                        k + 1,
                        messages.get(k).getJsonNumber("seq").longValue(),
                        "seq 1, 2, 3 … in a fresh room: " + messages.get(k));
            }
            List<Long> acked = new ArrayList<>();
            a.awaitAll("ack", 30, Duration.ofSeconds(10))
                    .forEach(ack -> acked.add(ack.getJsonNumber("seq").longValue()));
            b.awaitAll("ack", 30, Duration.ofSeconds(10))
                    .forEach(ack -> acked.add(ack.getJsonNumber("seq").longValue()));
            assertEquals(60, acked.stream().distinct().count(), "every ack has its own seq");
            try (var late = connect(Unique.name("carol"))) {
                assertEquals(
                        60,
                        late.join(room).getJsonNumber("seq").longValue(),
                        "the room's latest seq");
            }
        }
    }

    @Test
    void messages_from_one_sender_arrive_in_the_order_sent() {
        String room = Unique.name("order-room");
        try (var a = connect(Unique.name("alice"));
                var b = connect(Unique.name("bob"))) {
            a.join(room);
            b.join(room);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                sent.add("m" + i);
                a.send(Frames.send(room, "m" + i, null));
            }
            assertEquals(sent, texts(b.awaitAll("message", 150, Duration.ofSeconds(20))));
            assertEquals(sent, texts(a.awaitAll("message", 150, Duration.ofSeconds(20))));
        }
    }

    @Test
    void a_send_reaches_every_socket_in_the_room_the_senders_own_sockets_included_exactly_once() {
        String room = Unique.name("fanout-room");
        String alice = Unique.name("alice");
        try (var a1 = connect(alice);
                var a2 = connect(alice);
                var b = connect(Unique.name("bob"))) {
            a1.join(room);
            a2.join(room);
            b.join(room);
            a1.send(Frames.send(room, "to everyone", "f1"));
            String id = a1.await("ack").getString("id");
            for (WsClient c : List.of(a1, a2, b)) {
                assertEquals(id, c.await("message").getString("id"));
                c.assertOpen();
                c.expectNone("message", any -> true, QUIET);
            }
        }
    }

    @Test
    void a_socket_that_joins_while_messages_flow_gets_every_later_message_once_in_seq_order() {
        String room = Unique.name("join-in-flight");
        int total = 400;
        try (var sender = connect(Unique.name("alice"));
                var joiner = connect(Unique.name("bob"))) {
            sender.join(room);
            for (int i = 0; i < total; i++) {
                sender.send(Frames.send(room, "m" + i, "m" + i));
                if (i == 100)
                    sender.await(
                            "ack", f -> "m50".equals(f.getString("ref")), Duration.ofSeconds(10));
                if (i == 150) joiner.send(Frames.join(room)); // joins with messages in flight
            }
            JsonObject joined = joiner.await("joined", f -> true, Duration.ofSeconds(10));
            long seq = joined.getJsonNumber("seq").longValue();
            List<JsonObject> recent = joined.getJsonArray("messages").getValuesAs(JsonObject.class);
            if (!recent.isEmpty())
                assertEquals(
                        seq,
                        recent.get(recent.size() - 1).getJsonNumber("seq").longValue(),
                        "joined ends at its seq");
            List<JsonObject> live =
                    joiner.awaitAll("message", (int) (total - seq), Duration.ofSeconds(30));
            for (int k = 0; k < live.size(); k++) {
                assertEquals(
                        seq + 1 + k,
                        live.get(k).getJsonNumber("seq").longValue(),
                        "the live stream goes on from joined.seq, no gap, no repeat");
            }
            joiner.assertOpen();
            joiner.expectNone("message", any -> true, QUIET);
        }
    }

    @Test
    void an_acked_message_is_stored_at_once() {
        String room = Unique.name("stored-room");
        String token = TestTokens.token(Unique.name("alice"));
        try (var a = WsClient.connect(node, token)) {
            a.join(room);
            String id = a.sendMessages(room, 1, "durable").get(0).getString("id");
            var response = node.get("/api/rooms/" + room + "/messages", token);
            assertEquals(200, response.statusCode(), response.body());
            var stored =
                    Json.createReader(new StringReader(response.body()))
                            .readObject()
                            .getJsonArray("messages")
                            .getValuesAs(JsonObject.class);
            assertEquals(List.of(id), stored.stream().map(m -> m.getString("id")).toList());
        }
    }

    @Test
    void
            a_direct_message_reaches_every_socket_of_the_recipient_and_every_other_socket_of_the_sender() {
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a1 = connect(alice);
                var a2 = connect(alice);
                var b1 = connect(bob);
                var b2 = connect(bob);
                var carol = connect(Unique.name("carol"))) {
            a1.send(Frames.direct(bob, "psst", "d1"));
            String id = a1.await("ack").getString("id");
            for (WsClient c : List.of(b1, b2, a2)) {
                JsonObject direct = c.await("direct");
                assertEquals(id, direct.getString("id"));
                assertEquals(alice, direct.getString("from"));
                assertEquals(alice + " display", direct.getString("name"));
                assertEquals(bob, direct.getString("to"));
                assertEquals("psst", direct.getString("text"));
                assertNotNull(direct.getString("ts"));
                assertEquals(node.name(), direct.getString("node"));
                c.assertOpen();
                c.expectNone("direct", any -> true, Duration.ZERO);
            }
            a1.assertOpen();
            a1.expectNone("direct", any -> true, QUIET); // not back to the sending socket
            carol.expectNone("direct", any -> true, Duration.ZERO);
        }
    }

    @Test
    void a_direct_message_is_acked_to_the_sending_socket_with_its_ref_and_id_and_no_seq() {
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a1 = connect(alice);
                var a2 = connect(alice);
                var b = connect(bob)) {
            a1.send(Frames.direct(bob, "hi", "dm-ref"));
            JsonObject ack = a1.await("ack");
            assertEquals("dm-ref", ack.getString("ref"));
            assertEquals(b.await("direct").getString("id"), ack.getString("id"));
            assertFalse(ack.containsKey("seq"), "seq is for room messages only: " + ack);
            a2.await("direct");
            a2.assertOpen();
            a2.expectNone("ack", any -> true, Duration.ZERO);
            b.expectNone("ack", any -> true, Duration.ZERO);
        }
    }

    @Test
    void a_direct_message_to_an_offline_user_is_stored_and_acked() {
        String alice = Unique.name("alice");
        String dave = Unique.name("dave"); // never connected yet
        String id;
        try (var a = connect(alice)) {
            a.send(Frames.direct(dave, "while you were out", "off-1"));
            JsonObject ack = a.await("ack");
            assertEquals("off-1", ack.getString("ref"));
            id = ack.getString("id");
        }
        try (var d = connect(dave)) {
            d.send(Frames.conversationHistory(alice, null, null));
            JsonObject history = d.await("history");
            assertEquals(alice, history.getString("with"));
            List<JsonObject> messages =
                    history.getJsonArray("messages").getValuesAs(JsonObject.class);
            assertEquals(1, messages.size(), history.toString());
            assertEquals(id, messages.get(0).getString("id"));
            assertEquals("while you were out", messages.get(0).getString("text"));
            assertEquals(alice, messages.get(0).getString("from"));
            assertEquals(dave, messages.get(0).getString("to"));
        }
    }

    private WsClient connect(String user) {
        return WsClient.connect(node, TestTokens.token(user));
    }
}
