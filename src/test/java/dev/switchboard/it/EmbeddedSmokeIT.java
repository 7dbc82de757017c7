package dev.switchboard.it;

import static dev.switchboard.it.RoomsIT.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A smoke subset of the contract against a node on its defaults (embedded H2 store, dev tokens
 * off).
 */
class EmbeddedSmokeIT {
    private final SwitchboardNode node = TestNodes.embedded();

    @Test
    void a_token_signed_with_the_shared_secret_is_accepted_and_an_unsigned_one_refused() {
        String user = Unique.name("smoke-auth");
        try (var c = WsClient.connect(node, TestTokens.token(user))) {
            JsonObject welcome = c.received().get(0);
            assertEquals(user, welcome.getString("user"));
            assertEquals(node.name(), welcome.getString("node"));
            assertTrue(!welcome.getString("session").isBlank());
        }
        assertTrue(
                Set.of("401", "close 1008")
                        .contains(WsClient.refusal(node.wsUri(TestTokens.unsigned(user)), null)));
    }

    @Test
    void a_message_sent_to_a_room_reaches_its_members_and_is_acked() {
        String room = Unique.name("smoke-room");
        String alice = Unique.name("alice");
        try (var a = WsClient.connect(node, TestTokens.token(alice));
                var b = WsClient.connect(node, TestTokens.token(Unique.name("bob")))) {
            a.join(room);
            b.join(room);
            a.send(Frames.send(room, "hello embedded", "s1"));
            JsonObject ack = a.await("ack");
            assertEquals("s1", ack.getString("ref"));
            assertEquals(1, ack.getJsonNumber("seq").longValue());
            JsonObject message = b.await("message");
            assertEquals(ack.getString("id"), message.getString("id"));
            assertEquals(alice, message.getString("from"));
            assertEquals("hello embedded", message.getString("text"));
            assertEquals(ack.getString("id"), a.await("message").getString("id"));
        }
    }

    @Test
    void the_history_frame_returns_the_stored_messages() {
        String room = Unique.name("smoke-history");
        try (var a = WsClient.connect(node, TestTokens.token(Unique.name("alice")))) {
            a.join(room);
            a.sendMessages(room, 3, "kept-");
        }
        try (var b = WsClient.connect(node, TestTokens.token(Unique.name("bob")))) {
            b.send(Frames.roomHistory(room, null, 2));
            JsonObject history = b.await("history");
            assertEquals(
                    List.of("kept-1", "kept-2"),
                    texts(history.getJsonArray("messages").getValuesAs(JsonObject.class)));
            assertTrue(history.getBoolean("hasMore"));
        }
    }
}
