package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 2, "Rooms": membership is per socket, a user is a member while one of their
 * sockets has joined; {@code member_joined} on the first socket, {@code member_left} on the last.
 *
 * <p>"Must not receive" checks use a ping as a barrier: the frame in question would have been
 * queued for the observer before its {@code pong}, so once the pong is in, a short window is
 * enough.
 */
class RoomsIT {
    private static final Duration QUIET = Duration.ofMillis(300);

    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void joined_carries_the_members_of_all_sockets_the_recent_messages_and_the_seq() {
        String room = Unique.name("joined-room");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        String carol = Unique.name("carol");
        try (var a1 = connect(alice);
                var a2 = connect(alice);
                var c = connect(carol);
                var b = connect(bob)) {
            a1.join(room);
            a2.join(room);
            c.join(room);
            List<JsonObject> acks = a1.sendMessages(room, 3, "hello-");
            JsonObject joined = b.join(room);
            assertEquals(
                    Set.of(alice, bob, carol),
                    members(joined),
                    "members: every user with a socket in the room, once each");
            assertEquals(3, joined.getJsonArray("members").size(), "each user once: " + joined);
            assertEquals(
                    List.of("hello-0", "hello-1", "hello-2"),
                    texts(joined.getJsonArray("messages").getValuesAs(JsonObject.class)));
            assertEquals(
                    acks.get(2).getJsonNumber("seq").longValue(),
                    joined.getJsonNumber("seq").longValue(),
                    "seq is the room's latest");
            assertFalse(
                    joined.containsKey("recovered"),
                    "recovered only when since was given: " + joined);
        }
    }

    @Test
    void the_joining_socket_gets_joined_not_member_joined() {
        String room = Unique.name("self-join");
        String bob = Unique.name("bob");
        try (var b = connect(bob)) {
            b.join(room);
            b.assertOpen();
            b.expectNone("member_joined", any -> true, QUIET);
        }
    }

    @Test
    void member_joined_goes_to_the_room_on_a_users_first_socket_only() {
        String room = Unique.name("first-socket");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a = connect(alice);
                var b1 = connect(bob);
                var b2 = connect(bob)) {
            a.join(room);
            b1.join(room);
            JsonObject joinedEvent = a.await("member_joined", about(bob));
            assertEquals(room, joinedEvent.getString("room"));
            assertEquals(bob + " display", joinedEvent.getString("name"));

            b2.join(room); // bob is already a member through b1
            a.assertOpen();
            b1.assertOpen();
            a.expectNone("member_joined", about(bob), QUIET);
            b1.expectNone("member_joined", about(bob), Duration.ZERO);
        }
    }

    @Test
    void member_left_goes_to_the_room_when_a_users_last_socket_leaves() {
        String room = Unique.name("last-leave");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a = connect(alice);
                var b1 = connect(bob);
                var b2 = connect(bob)) {
            a.join(room);
            b1.join(room);
            b2.join(room);
            b1.send(Frames.leave(room));
            b1.await("left");
            a.assertOpen();
            a.expectNone("member_left", about(bob), QUIET);

            b2.send(Frames.leave(room));
            b2.await("left");
            JsonObject left = a.await("member_left", about(bob));
            assertEquals(room, left.getString("room"));
            assertEquals(bob + " display", left.getString("name"));
            a.assertOpen();
            a.expectNone("member_left", about(bob), Duration.ZERO);
        }
    }

    @Test
    void member_left_goes_to_the_room_when_a_users_last_socket_disconnects() {
        String room = Unique.name("last-disconnect");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a = connect(alice)) {
            a.join(room);
            var b1 = connect(bob);
            var b2 = connect(bob);
            b1.join(room);
            b2.join(room);
            b1.close(); // a clean close: bob still has b2 in the room
            a.expectNone("member_left", about(bob), Duration.ofMillis(500));

            b2.abort(); // and a crashed client: bob's last socket
            JsonObject left = a.await("member_left", about(bob));
            assertEquals(room, left.getString("room"));
            a.assertOpen();
            a.expectNone("member_left", about(bob), Duration.ZERO);
        }
    }

    @Test
    void leave_is_answered_by_left() {
        String room = Unique.name("leave-left");
        try (var c = connect(Unique.name("leaver"))) {
            c.join(room);
            c.send(Frames.leave(room));
            assertEquals(room, c.await("left").getString("room"));
            // after leaving, the socket is no member any more
            c.send(Frames.send(room, "after leave", "after"));
            c.awaitError("not_member");
        }
    }

    @Test
    void membership_is_per_socket_a_socket_that_has_not_joined_gets_no_room_frames() {
        String room = Unique.name("per-socket");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a1 = connect(alice);
                var a2 = connect(alice);
                var b = connect(bob)) {
            a1.join(room);
            b.join(room);
            b.send(Frames.send(room, "to the room", "r1"));
            b.send(Frames.typing(room, true));
            a1.await("message");
            a1.await("typing");
            a2.assertOpen();
            a2.expectNone("message", any -> true, QUIET);
            a2.expectNone("typing", any -> true, Duration.ZERO);
            a2.send(Frames.send(room, "not joined", "r2"));
            a2.awaitError("not_member");
        }
    }

    @Test
    void a_user_stays_a_member_while_any_of_their_sockets_is_in_the_room() {
        String room = Unique.name("still-member");
        String bob = Unique.name("bob");
        String carol = Unique.name("carol");
        try (var b1 = connect(bob);
                var b2 = connect(bob);
                var c = connect(carol)) {
            b1.join(room);
            b2.join(room);
            b1.send(Frames.leave(room));
            b1.await("left");
            assertEquals(Set.of(bob, carol), members(c.join(room)), "bob is a member through b2");
            b2.send(Frames.leave(room));
            b2.await("left");
            c.await("member_left", about(bob));
            try (var d = connect(Unique.name("dave"))) {
                assertFalse(members(d.join(room)).contains(bob), "bob left with his last socket");
            }
        }
    }

    private WsClient connect(String user) {
        return WsClient.connect(node, TestTokens.token(user));
    }

    static Predicate<JsonObject> about(String user) {
        return f -> user.equals(f.getString("user", null));
    }

    static Set<String> members(JsonObject joined) {
        return joined.getJsonArray("members").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .collect(Collectors.toSet());
    }

    static List<String> texts(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getString("text")).toList();
    }
}
