package dev.switchboard.it;

import static dev.switchboard.it.RoomsIT.about;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md section 2, "Presence" and "Typing", and {@code GET /api/presence} of section 3. */
class PresenceIT {
    private static final Duration QUIET = Duration.ofMillis(400);

    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void presence_offline_goes_to_the_users_rooms_when_the_last_socket_closes() {
        String r1 = Unique.name("offline-r1");
        String r2 = Unique.name("offline-r2");
        String bob = Unique.name("bob");
        try (var a = connect(Unique.name("alice"));
                var c = connect(Unique.name("carol"))) {
            a.join(r1);
            c.join(r2);
            var b1 = connect(bob);
            var b2 = connect(bob);
            b1.join(r1);
            b2.join(r1);
            b2.join(r2);
            b1.close(); // bob is still online through b2
            a.expectNone("presence", about(bob), QUIET);

            b2.close();
            JsonObject inR1 = a.await("presence", about(bob));
            assertEquals(r1, inR1.getString("room"));
            assertEquals("offline", inR1.getString("status"));
            JsonObject inR2 = c.await("presence", about(bob));
            assertEquals(r2, inR2.getString("room"));
            assertEquals("offline", inR2.getString("status"));
        }
    }

    @Test
    void a_user_is_online_while_any_of_their_sockets_is_connected() {
        String room = Unique.name("online-room");
        String bob = Unique.name("bob");
        try (var a = connect(Unique.name("alice"));
                var b2 = connect(bob)) {
            a.join(room);
            var b1 = connect(bob);
            b1.join(room);
            assertEquals("online", status(bob));
            b1.close();
            a.await("member_left", about(bob)); // b1's close has been handled
            assertEquals("online", status(bob), "b2 is still connected");
            a.assertOpen();
            a.expectNone("presence", about(bob), Duration.ZERO);
        }
    }

    @Test
    void status_away_and_busy_are_sent_as_presence_into_every_room_the_user_has_joined() {
        String r1 = Unique.name("status-r1");
        String r2 = Unique.name("status-r2");
        String r3 = Unique.name("status-r3");
        String bob = Unique.name("bob");
        try (var a = connect(Unique.name("alice"));
                var c = connect(Unique.name("carol"));
                var d = connect(Unique.name("dave"));
                var b = connect(bob)) {
            a.join(r1);
            c.join(r2);
            d.join(r3);
            b.join(r1);
            b.join(r2);
            for (String status : new String[] {"away", "busy", "online"}) {
                b.send(Frames.status(status));
                Predicate<JsonObject> change =
                        about(bob).and(f -> status.equals(f.getString("status")));
                assertEquals(r1, a.await("presence", change).getString("room"));
                assertEquals(r2, c.await("presence", change).getString("room"));
            }
            d.assertOpen();
            d.expectNone("presence", about(bob), QUIET); // bob never joined r3
        }
    }

    @Test
    void presence_endpoint_answers_each_users_status() {
        String room = Unique.name("presence-http");
        String bob = Unique.name("bob");
        String ghost = Unique.name("ghost");
        try (var a = connect(Unique.name("alice"));
                var b = connect(bob)) {
            a.join(room);
            b.join(room);
            var response =
                    node.get(
                            "/api/presence?user=" + bob + "&user=" + ghost,
                            TestTokens.token(Unique.name("asker")));
            assertEquals(200, response.statusCode(), response.body());
            JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
            assertEquals("online", body.getString(bob));
            assertEquals("offline", body.getString(ghost));

            b.send(Frames.status("away"));
            a.await("presence", about(bob).and(f -> "away".equals(f.getString("status"))));
            assertEquals("away", status(bob));
            b.close();
            a.await("presence", about(bob).and(f -> "offline".equals(f.getString("status"))));
            assertEquals("offline", status(bob));
        }
    }

    @Test
    void a_client_that_closes_as_soon_as_it_is_welcomed_is_offline_at_once() {
        String quick = Unique.name("quick");
        for (int i = 0; i < 100; i++) WsClient.abortOnWelcome(node.wsUri(TestTokens.token(quick)));

        // no event says that the last of 100 closes has been handled: poll, bounded
        Poll.until(
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                () -> status(quick),
                "offline"::equals,
                status ->
                        "a socket of "
                                + quick
                                + " outlived its connection (the dead-socket sweep takes 2 min): "
                                + status);
    }

    @Test
    void presence_endpoint_needs_a_token() {
        var response = node.get("/api/presence?user=" + Unique.name("anyone"));
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim());
    }

    @Test
    void typing_goes_to_the_other_sockets_in_the_room_not_back_to_the_sender() {
        String room = Unique.name("typing-room");
        String alice = Unique.name("alice");
        try (var a1 = connect(alice);
                var a2 = connect(alice);
                var b = connect(Unique.name("bob"));
                var outside = connect(Unique.name("carol"))) {
            a1.join(room);
            a2.join(room);
            b.join(room);
            a1.send(Frames.typing(room, true));
            JsonObject typing = b.await("typing", about(alice));
            assertEquals(room, typing.getString("room"));
            assertEquals(true, typing.getBoolean("active"));
            a2.await(
                    "typing",
                    about(alice).and(f -> f.getBoolean("active"))); // the sender's other socket
            a1.send(Frames.typing(room, false));
            assertFalse(b.await("typing", about(alice)).getBoolean("active"));
            a1.assertOpen();
            a1.expectNone("typing", any -> true, QUIET);
            outside.expectNone("typing", any -> true, Duration.ZERO);
        }
    }

    @Test
    void typing_from_a_socket_that_has_not_joined_the_room_is_answered_not_member() {
        String room = Unique.name("typing-outside");
        try (var inside = connect(Unique.name("alice"));
                var outside = connect(Unique.name("bob"))) {
            inside.join(room);
            outside.send(
                    Json.createObjectBuilder()
                            .add("type", "typing")
                            .add("room", room)
                            .add("active", true)
                            .add("ref", "t-1")
                            .build());
            assertEquals("t-1", outside.awaitError("not_member").getString("ref", null));
            outside.assertOpen();
            inside.assertOpen();
            inside.expectNone("typing", any -> true, QUIET);
        }
    }

    private String status(String user) {
        var response =
                node.get("/api/presence?user=" + user, TestTokens.token(Unique.name("asker")));
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject().getString(user);
    }

    private WsClient connect(String user) {
        return WsClient.connect(node, TestTokens.token(user));
    }
}
