package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md section 2, "Messages": exactly once to every socket, seq +1, per-sender order. */
class RoomMessagesIT {
    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void every_socket_of_the_room_gets_every_message_exactly_once_3_sockets_x_200() {
        String room = "exactly-once";
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WsClient c = WsClient.connect(node, TestTokens.token("eo-user-" + i));
            c.sendq("{'type':'join','room':'" + room + "'}").await("joined");
            clients.add(c);
        }
        for (int m = 0; m < 200; m++) {
            for (int i = 0; i < 3; i++) {
                clients.get(i)
                        .sendq(
                                "{'type':'send','room':'"
                                        + room
                                        + "','text':'m"
                                        + m
                                        + "','ref':'"
                                        + i
                                        + "-"
                                        + m
                                        + "'}");
            }
        }
        for (WsClient c : clients) {
            List<JsonObject> messages = c.awaitAll("message", 600, Duration.ofSeconds(30));
            Set<String> ids = new HashSet<>();
            messages.forEach(m -> ids.add(m.getString("id")));
            assertEquals(600, ids.size(), "distinct messages");
            c.expectNone("message", f -> room.equals(f.getString("room")), Duration.ofMillis(300));
            long first = messages.get(0).getJsonNumber("seq").longValue();
            for (int k = 0; k < messages.size(); k++) {
                assertEquals(
                        first + k,
                        messages.get(k).getJsonNumber("seq").longValue(),
                        "seq +1 per message in arrival order");
            }
            c.close();
        }
    }
}
