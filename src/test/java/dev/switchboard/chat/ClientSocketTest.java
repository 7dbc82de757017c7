package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.routing.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ClientSocketTest {
    private static final RoomName ROOM = new RoomName("cs-lobby");
    private static final RoomName OTHER_ROOM = new RoomName("cs-ops");
    private static final String SOCKET_ID = "cs-socket-1";

    private final List<String> received = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final ClientSocket socket =
            new ClientSocket(
                    SOCKET_ID,
                    new AuthenticatedUser(
                            new UserId("cs-alice"),
                            "Alice",
                            null,
                            Instant.parse("2030-01-01T00:00:00Z")),
                    new OutboundQueue(
                            1_000,
                            (frame, done) -> {
                                received.add(frame);
                                done.completed(null);
                            },
                            () -> {
                                throw new AssertionError("overflow");
                            }),
                    (code, reason) -> closes.add(code + " " + reason));

    /** The joined frame carried no messages (an empty room, or a join without history). */
    private static final long[] NONE = {};

    private static long[] seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).toArray();
    }

    private static Envelope message(RoomName room, long seq) {
        return Envelope.roomMessage(room.value(), "msg-" + room + "-" + seq, seq, 0);
    }

    @Test
    void room_frames_that_arrive_while_joining_are_held_until_after_joined() {
        socket.beginJoin(ROOM);
        assertFalse(socket.deliver(ROOM, message(ROOM, 11)));
        assertFalse(socket.deliver(ROOM, Envelope.toRoom(ROOM.value(), "member_joined-bob", null)));
        assertEquals(List.of(), received);

        int released = socket.completeJoin(ROOM, "joined", 10, NONE);

        assertEquals(List.of("joined", "msg-cs-lobby-11", "member_joined-bob"), received);
        assertEquals(2, released);
    }

    @Test
    void held_messages_the_joined_frame_already_carries_are_dropped() {
        socket.beginJoin(ROOM);
        for (long seq = 8; seq <= 12; seq++) socket.deliver(ROOM, message(ROOM, seq));

        int released = socket.completeJoin(ROOM, "joined", 10, seqs(6, 10));

        assertEquals(List.of("joined", "msg-cs-lobby-11", "msg-cs-lobby-12"), received);
        assertEquals(2, released);
    }

    @Test
    void held_messages_at_or_below_the_joined_seq_are_dropped_when_joined_carried_no_messages() {
        socket.beginJoin(ROOM);
        for (long seq = 9; seq <= 11; seq++) socket.deliver(ROOM, message(ROOM, seq));

        socket.completeJoin(ROOM, "joined", 10, NONE);

        assertEquals(List.of("joined", "msg-cs-lobby-11"), received);
    }

    @Test
    void held_messages_older_than_the_page_joined_carried_are_dropped() {
        socket.beginJoin(ROOM);
        socket.deliver(ROOM, message(ROOM, 3)); // older than the latest page the client was given

        socket.completeJoin(ROOM, "joined", 10, seqs(6, 10));

        assertEquals(List.of("joined"), received);
    }

    @Test
    void a_message_in_a_gap_of_the_joined_range_is_delivered_when_it_arrives() {
        // seq 8 was still being stored by another node when the history was read: joined carried 6,
        // 7, 9, 10
        socket.beginJoin(ROOM);
        socket.deliver(ROOM, message(ROOM, 9));
        socket.completeJoin(ROOM, "joined", 10, new long[] {6, 7, 9, 10});

        assertTrue(socket.deliver(ROOM, message(ROOM, 8)));
        assertFalse(socket.deliver(ROOM, message(ROOM, 7)));
        assertEquals(List.of("joined", "msg-cs-lobby-8"), received);
    }

    @Test
    void a_held_message_in_a_gap_of_the_joined_range_is_released_after_joined() {
        socket.beginJoin(ROOM);
        socket.deliver(ROOM, message(ROOM, 8));
        socket.deliver(ROOM, message(ROOM, 9));

        assertEquals(1, socket.completeJoin(ROOM, "joined", 10, new long[] {6, 7, 9, 10}));
        assertEquals(List.of("joined", "msg-cs-lobby-8"), received);
    }

    @Test
    void live_messages_the_joined_frame_already_carried_are_not_delivered_again() {
        socket.beginJoin(ROOM);
        socket.completeJoin(ROOM, "joined", 10, seqs(1, 10));

        assertFalse(socket.deliver(ROOM, message(ROOM, 9)));
        assertFalse(socket.deliver(ROOM, message(ROOM, 10)));
        assertTrue(socket.deliver(ROOM, message(ROOM, 11)));
        assertTrue(socket.deliver(ROOM, Envelope.toRoom(ROOM.value(), "typing-bob", null)));

        assertEquals(List.of("joined", "msg-cs-lobby-11", "typing-bob"), received);
    }

    @Test
    void frames_of_other_rooms_are_not_held_by_a_join() {
        socket.beginJoin(OTHER_ROOM);
        socket.completeJoin(OTHER_ROOM, "joined-ops", 0, NONE);
        socket.beginJoin(ROOM);

        assertTrue(socket.deliver(OTHER_ROOM, message(OTHER_ROOM, 1)));
        assertEquals(List.of("joined-ops", "msg-cs-ops-1"), received);
    }

    @Test
    void a_room_frame_excluding_this_socket_is_not_delivered() {
        socket.beginJoin(ROOM);
        socket.completeJoin(ROOM, "joined", 0, NONE);

        assertFalse(socket.deliver(ROOM, Envelope.toRoom(ROOM.value(), "typing-self", SOCKET_ID)));
        assertTrue(
                socket.deliver(ROOM, Envelope.toRoom(ROOM.value(), "typing-other", "cs-socket-2")));

        assertEquals(List.of("joined", "typing-other"), received);
    }

    @Test
    void a_room_frame_excluding_this_socket_is_not_released_after_joined_either() {
        socket.beginJoin(ROOM);
        socket.deliver(ROOM, Envelope.toRoom(ROOM.value(), "member_joined-self", SOCKET_ID));

        assertEquals(0, socket.completeJoin(ROOM, "joined", 0, NONE));
        assertEquals(List.of("joined"), received);
    }

    @Test
    void a_user_frame_excluding_this_socket_is_not_delivered() {
        assertFalse(socket.deliver(Envelope.toUser("cs-alice", "direct-own-copy", SOCKET_ID)));
        assertTrue(socket.deliver(Envelope.toUser("cs-alice", "direct-from-bob", null)));
        assertEquals(List.of("direct-from-bob"), received);
    }

    @Test
    void a_join_left_before_it_completed_sends_nothing() {
        socket.beginJoin(ROOM);
        socket.deliver(ROOM, message(ROOM, 1));
        socket.leave(ROOM);

        assertEquals(0, socket.completeJoin(ROOM, "joined", 0, NONE));
        assertEquals(List.of(), received);
        assertFalse(socket.isIn(ROOM));
    }

    @Test
    void a_rejoin_after_leave_uses_the_new_joined_seq() {
        socket.beginJoin(ROOM);
        socket.completeJoin(ROOM, "joined-1", 10, NONE);
        socket.leave(ROOM);
        socket.beginJoin(ROOM);
        socket.completeJoin(ROOM, "joined-2", 3, seqs(1, 3));

        assertTrue(socket.deliver(ROOM, message(ROOM, 4)));
        assertEquals(List.of("joined-1", "joined-2", "msg-cs-lobby-4"), received);
    }

    @Test
    void disconnect_hands_the_close_code_to_the_closer() {
        socket.disconnect(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
        assertEquals(List.of("1013 slow consumer"), closes);
    }
}
