package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.switchboard.it.RoomsIT.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node of its own on the default embedded store: "every message is stored durably" across a
 * restart (SIGTERM, then a start on the same data directory), and "node shutting down: close 1001".
 */
class RestartIT {
    @Test
    void acked_messages_survive_a_restart_and_the_seq_continues_from_where_it_was() {
        String room = Unique.name("restart-room");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var node = SwitchboardNode.create(Unique.name("restart"), Map.of("SWITCHBOARD_JWT_SECRET", TestTokens.SECRET)).start()) {
            List<String> ids;
            String directId;
            try (var a = WsClient.connect(node, TestTokens.token(alice))) {
                a.join(room);
                ids = a.sendMessages(room, 5, "before-restart-").stream().map(ack -> ack.getString("id")).toList();
                a.send(Frames.direct(bob, "kept for bob", "d1"));
                directId = a.await("ack").getString("id");
            }
            node.stop();
            node.start();

            try (var a = WsClient.connect(node, TestTokens.token(alice))) {
                JsonObject joined = a.join(room);
                List<JsonObject> messages = joined.getJsonArray("messages").getValuesAs(JsonObject.class);
                assertEquals(List.of("before-restart-0", "before-restart-1", "before-restart-2", "before-restart-3", "before-restart-4"), texts(messages));
                assertEquals(ids, messages.stream().map(m -> m.getString("id")).toList());
                assertEquals(5, joined.getJsonNumber("seq").longValue());

                a.send(Frames.roomHistory(room, null, null));
                JsonObject history = a.await("history");
                assertEquals(ids, history.getJsonArray("messages").getValuesAs(JsonObject.class).stream().map(m -> m.getString("id")).toList());

                a.send(Frames.conversationHistory(bob, null, null));
                JsonObject conversation = a.await("history", f -> bob.equals(f.getString("with", null)));
                assertEquals(List.of(directId), conversation.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                        .map(m -> m.getString("id")).toList());

                a.send(Frames.send(room, "after restart", "after"));
                assertEquals(6, a.await("ack").getJsonNumber("seq").longValue(), "seq continues after the restart");
                assertEquals(6, a.await("message").getJsonNumber("seq").longValue());
            }
        }
    }

    @Test
    void a_node_shutting_down_closes_its_sockets_with_1001() {
        try (var node = SwitchboardNode.create(Unique.name("shutdown"), Map.of("SWITCHBOARD_JWT_SECRET", TestTokens.SECRET)).start();
             var a = WsClient.connect(node, TestTokens.token(Unique.name("alice")));
             var b = WsClient.connect(node, TestTokens.token(Unique.name("bob")))) {
            a.join(Unique.name("shutdown-room"));
            node.stop();
            assertEquals(1001, a.awaitClose(Duration.ofSeconds(10)));
            assertEquals(1001, b.awaitClose(Duration.ofSeconds(10)));
        }
    }
}
