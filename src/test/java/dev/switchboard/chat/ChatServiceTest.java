package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.presence.ReapedNode;
import dev.switchboard.presence.Status;
import dev.switchboard.rooms.RoomMembers;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's rules as ChatService's parts apply them, frames in and frames out, on the
 * in-process ports and the real writer: what a client sees, not which method ran.
 */
class ChatServiceTest {
    private static final String ROOM = "cst-lobby";

    private final ChatFixture node = new ChatFixture();

    @AfterEach
    void stop() {
        node.close();
    }

    private static String join(String room) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
    }

    private static String send(String room, String text, String ref) {
        return "{\"type\":\"send\",\"room\":\""
                + room
                + "\",\"text\":\""
                + text
                + "\",\"ref\":\""
                + ref
                + "\"}";
    }

    private static String direct(String to, String text, String ref) {
        return "{\"type\":\"direct\",\"to\":\""
                + to
                + "\",\"text\":\""
                + text
                + "\",\"ref\":\""
                + ref
                + "\"}";
    }

    private ChatFixture.TestSocket joined(String user, String socketId, String room)
            throws InterruptedException {
        var socket = node.connect(user, socketId);
        socket.handle(join(room));
        socket.await("joined");
        return socket;
    }

    @Test
    void a_send_to_a_room_not_joined_is_refused_not_member_and_not_stored() throws Exception {
        var ann = node.connect("cst-ann", "s1");
        ann.handle(send(ROOM, "hello", "r1"));
        assertEquals("not_member", ann.awaitRef("error", "r1").getString("code"));
        assertEquals(0, node.history.journal.writes());
    }

    @Test
    void a_send_is_acked_with_its_seq_after_the_room_got_the_message() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        var bob = joined("cst-bob", "s2", ROOM);
        ann.handle(send(ROOM, "hello", "r1"));

        JsonObject ack = ann.awaitRef("ack", "r1");
        assertEquals(1, ack.getInt("seq"));
        JsonObject own = ann.await("message");
        assertTrue(
                ann.indexOf(own) < ann.indexOf(ack),
                "the ack comes after the publish that delivered the message");
        assertEquals("hello", bob.await("message").getString("text"));
        assertEquals(
                ack.getString("id"),
                node.history.stored(new RoomName(ROOM)).get(0).id(),
                "acked means stored");
    }

    @Test
    void acks_wait_until_the_batch_is_remembered_and_published() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        List<String> seenAtPublish = new ArrayList<>();
        node.bus.atConfirmedPublish =
                () -> {
                    seenAtPublish.add("acks so far: " + ann.frames("ack").size());
                    seenAtPublish.add(
                            "remembered: "
                                    + node.history
                                            .history
                                            .onJoin(new RoomName(ROOM), null)
                                            .messages()
                                            .size());
                };
        ann.handle(send(ROOM, "hello", "r1"));
        ann.awaitRef("ack", "r1");
        assertEquals(List.of("acks so far: 0", "remembered: 1"), seenAtPublish);
    }

    @Test
    void one_confirmed_publish_per_stored_batch() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        node.history.journal.hold();
        ann.handle(send(ROOM, "first", "r0"));
        node.history.journal.awaitHeld();
        for (int i = 1; i <= 9; i++) ann.handle(send(ROOM, "m" + i, "r" + i));
        node.history.journal.open();
        ann.awaitRef("ack", "r9");
        assertEquals(2, node.history.journal.writes(), "two batches stored");
        assertEquals(2, node.bus.confirmedPublishes, "one publish for each");
    }

    @Test
    void one_senders_messages_are_acked_in_order_with_seqs_one_up() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        for (int i = 1; i <= 100; i++) ann.handle(send(ROOM, "m" + i, "r" + i));
        ann.awaitRef("ack", "r100");
        List<JsonObject> acks = ann.frames("ack");
        assertEquals(100, acks.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("r" + (i + 1), acks.get(i).getString("ref"));
            assertEquals(i + 1, acks.get(i).getInt("seq"));
        }
    }

    @Test
    void a_store_failure_answers_unavailable_and_gives_the_seq_back() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        node.history.journal.failing(true);
        ann.handle(send(ROOM, "lost", "r1"));
        JsonObject error = ann.awaitRef("error", "r1");
        assertEquals("unavailable", error.getString("code"));
        assertTrue(error.getInt("retryAfterMs") > 0);
        assertEquals(List.of(), ann.frames("message"), "nothing published");

        node.history.journal.failing(false);
        ann.handle(send(ROOM, "kept", "r2"));
        assertEquals(1, ann.awaitRef("ack", "r2").getInt("seq"), "no gap");
    }

    @Test
    void
            a_direct_message_reaches_the_recipient_and_the_senders_other_sockets_and_acks_the_sending_one()
                    throws Exception {
        var annHere = node.connect("cst-ann", "s1");
        var annThere = node.connect("cst-ann", "s2");
        var bob = node.connect("cst-bob", "s3");
        annHere.handle(direct("cst-bob", "psst", "d1"));

        JsonObject ack = annHere.awaitRef("ack", "d1");
        assertFalse(ack.containsKey("seq"), "direct messages have no seq");
        JsonObject received = bob.await("direct");
        assertEquals("psst", received.getString("text"));
        assertEquals("cst-ann", received.getString("from"));
        assertEquals(ack.getString("id"), annThere.await("direct").getString("id"));
        assertEquals(List.of(), annHere.frames("direct"), "the sending socket has it already");
    }

    @Test
    void a_direct_message_to_oneself_goes_once_to_ones_other_sockets() throws Exception {
        var annHere = node.connect("cst-ann", "s1");
        var annThere = node.connect("cst-ann", "s2");
        annHere.handle(direct("cst-ann", "note", "d1"));
        annHere.awaitRef("ack", "d1");
        assertEquals(1, annThere.frames("direct").size());
        assertEquals(List.of(), annHere.frames("direct"));
    }

    @Test
    void texts_are_checked_before_they_reach_the_writer() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        ann.handle(send(ROOM, "\\u00a0 ", "r1"));
        assertEquals("empty_message", ann.awaitRef("error", "r1").getString("code"));
        ann.handle(send(ROOM, "x".repeat(101), "r2"));
        assertEquals("too_large", ann.awaitRef("error", "r2").getString("code"));
        ann.handle(send(ROOM, "a\\u0000b", "r3"));
        assertEquals("bad_request", ann.awaitRef("error", "r3").getString("code"));
        assertEquals(0, node.history.journal.writes());
    }

    @Test
    void sends_over_the_users_rate_are_refused_with_a_retry_time() throws Exception {
        node.settings.rate = 2;
        var ann = joined("cst-ann", "s1", ROOM);
        for (int i = 1; i <= 3; i++) ann.handle(send(ROOM, "m" + i, "r" + i));
        JsonObject refused = ann.awaitRef("error", "r3");
        assertEquals("rate_limited", refused.getString("code"));
        assertTrue(refused.getInt("retryAfterMs") > 0);
        ann.awaitRef("ack", "r2");
    }

    @Test
    void control_frames_over_the_sockets_budget_are_refused() throws Exception {
        node.settings.controlRate = 2;
        var ann = node.connect("cst-ann", "s1");
        ann.handle("{\"type\":\"join\",\"room\":\"cst-a\",\"ref\":\"j1\"}");
        ann.handle("{\"type\":\"join\",\"room\":\"cst-b\",\"ref\":\"j2\"}");
        ann.handle("{\"type\":\"join\",\"room\":\"cst-c\",\"ref\":\"j3\"}");
        assertEquals("rate_limited", ann.awaitRef("error", "j3").getString("code"));
        assertEquals(2, ann.frames("joined").size());
    }

    @Test
    void a_join_answers_joined_with_the_members_and_recent_messages_and_tells_the_room()
            throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        ann.handle(send(ROOM, "before bob", "r1"));
        ann.awaitRef("ack", "r1");

        var bob = joined("cst-bob", "s2", ROOM);
        JsonObject joined = bob.await("joined");
        assertEquals(
                Set.of("cst-ann", "cst-bob"),
                Set.copyOf(
                        joined.getJsonArray("members")
                                .getValuesAs(jakarta.json.JsonString::getString)));
        assertEquals(
                "before bob", joined.getJsonArray("messages").getJsonObject(0).getString("text"));
        assertEquals(1, joined.getInt("seq"));
        assertEquals("cst-bob", ann.await("member_joined").getString("user"));
    }

    @Test
    void typing_in_a_room_not_joined_is_refused_not_member() throws Exception {
        var ann = node.connect("cst-ann", "s1");
        ann.handle(
                "{\"type\":\"typing\",\"room\":\"" + ROOM + "\",\"active\":true,\"ref\":\"t1\"}");
        assertEquals("not_member", ann.awaitRef("error", "t1").getString("code"));
    }

    @Test
    void a_leave_answers_left_and_tells_the_room_the_user_left() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        var bob = joined("cst-bob", "s2", ROOM);
        bob.handle("{\"type\":\"leave\",\"room\":\"" + ROOM + "\"}");
        assertEquals(ROOM, bob.await("left").getString("room"));
        assertEquals("cst-bob", ann.await("member_left").getString("user"));
        bob.handle(send(ROOM, "gone", "r1"));
        assertEquals("not_member", bob.awaitRef("error", "r1").getString("code"));
    }

    @Test
    void a_users_last_socket_closing_tells_its_rooms_offline_then_member_left() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        var bob = joined("cst-bob", "s2", ROOM);
        node.chat.closed(bob.socket);
        JsonObject offline = ann.await("presence");
        assertEquals("offline", offline.getString("status"));
        JsonObject left = ann.await("member_left");
        assertTrue(ann.indexOf(offline) < ann.indexOf(left));
        assertEquals(Status.OFFLINE, node.presence.status(new UserId("cst-bob")));
        assertEquals(1, node.chat.connections());
    }

    @Test
    void a_socket_over_the_users_limit_is_refused_and_not_counted() {
        node.settings.maxSocketsPerUser = 1;
        node.connect("cst-ann", "s1");
        var refused = assertThrows(SwitchboardException.class, () -> node.connect("cst-ann", "s2"));
        assertEquals(ErrorCode.TOO_MANY_SOCKETS, refused.code());
        assertEquals(1, node.presence.sockets(new UserId("cst-ann")));
        assertEquals(1, node.chat.connections());
    }

    @Test
    void a_dead_nodes_users_are_reported_offline_and_gone_from_their_rooms() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        UserId carol = new UserId("cst-carol");
        node.rooms.tellRooms(
                new ReapedNode(
                        "dead-node",
                        Set.of(carol),
                        List.of(new RoomMembers.RoomUser(new RoomName(ROOM), carol))));
        JsonObject offline = ann.await("presence");
        assertEquals("cst-carol", offline.getString("user"));
        assertTrue(ann.indexOf(offline) < ann.indexOf(ann.await("member_left")));
    }

    @Test
    void sockets_register_again_in_a_registry_that_forgot_them() throws Exception {
        joined("cst-ann", "s1", ROOM);
        var emptyPresence =
                new dev.switchboard.presence.InMemoryPresenceStore(); // Redis restarted empty
        var emptyMembers = new dev.switchboard.rooms.InMemoryRoomMembers();
        node.lifecycle.presence = emptyPresence;
        node.lifecycle.members = emptyMembers;
        node.lifecycle.registerAgain();
        assertEquals(1, emptyPresence.sockets(new UserId("cst-ann")));
        assertEquals(Set.of(new UserId("cst-ann")), emptyMembers.members(new RoomName(ROOM)));
        assertEquals(1, node.lifecycle.count());
    }

    @Test
    void the_messages_stored_are_the_ones_acked_in_the_order_sent() throws Exception {
        var ann = joined("cst-ann", "s1", ROOM);
        for (int i = 1; i <= 5; i++) ann.handle(send(ROOM, "m" + i, "r" + i));
        ann.awaitRef("ack", "r5");
        assertEquals(
                List.of("m1", "m2", "m3", "m4", "m5"),
                node.history.stored(new RoomName(ROOM)).stream().map(RoomMessage::text).toList());
    }
}
