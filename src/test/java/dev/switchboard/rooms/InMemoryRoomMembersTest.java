package dev.switchboard.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryRoomMembersTest {
    private static final RoomName LOBBY = new RoomName("rm-lobby");
    private static final RoomName OPS = new RoomName("rm-ops");
    private static final UserId ALICE = new UserId("rm-alice");
    private static final UserId BOB = new UserId("rm-bob");

    private final InMemoryRoomMembers members = new InMemoryRoomMembers();

    @Test
    void a_users_first_socket_in_a_room_is_reported_as_first() {
        assertTrue(members.join(LOBBY, ALICE, "s1"));
        assertFalse(members.join(LOBBY, ALICE, "s2"));
        assertTrue(members.join(LOBBY, BOB, "s3"), "first is per user");
        assertTrue(members.join(OPS, ALICE, "s1"), "first is per room");
    }

    @Test
    void the_same_socket_joining_twice_is_not_a_second_first_join() {
        assertTrue(members.join(LOBBY, ALICE, "s1"));
        assertFalse(members.join(LOBBY, ALICE, "s1"));
        assertTrue(members.leave(LOBBY, ALICE, "s1"), "one socket, one leave");
    }

    @Test
    void only_the_users_last_socket_leaving_is_reported_as_last() {
        members.join(LOBBY, ALICE, "s1");
        members.join(LOBBY, ALICE, "s2");
        assertFalse(members.leave(LOBBY, ALICE, "s1"));
        assertEquals(Set.of(ALICE), members.members(LOBBY));
        assertTrue(members.leave(LOBBY, ALICE, "s2"));
        assertEquals(Set.of(), members.members(LOBBY));
    }

    @Test
    void leaving_with_a_socket_that_never_joined_changes_nothing() {
        members.join(LOBBY, ALICE, "s1");
        assertFalse(members.leave(LOBBY, ALICE, "s9"));
        assertFalse(members.leave(OPS, ALICE, "s1"));
        assertFalse(members.leave(LOBBY, BOB, "s1"));
        assertEquals(Set.of(ALICE), members.members(LOBBY));
    }

    @Test
    void a_second_leave_of_the_same_socket_is_not_last_again() {
        members.join(LOBBY, ALICE, "s1");
        assertTrue(members.leave(LOBBY, ALICE, "s1"));
        assertFalse(members.leave(LOBBY, ALICE, "s1"));
    }

    @Test
    void members_are_the_users_with_a_socket_in_the_room_sorted() {
        members.join(LOBBY, BOB, "s3");
        members.join(LOBBY, ALICE, "s1");
        members.join(LOBBY, ALICE, "s2");
        members.join(OPS, new UserId("rm-carol"), "s4");
        assertEquals(List.of(ALICE, BOB), List.copyOf(members.members(LOBBY)));
        assertEquals(Set.of(), members.members(new RoomName("rm-empty")));
    }

    @Test
    void the_members_answer_is_a_snapshot() {
        members.join(LOBBY, ALICE, "s1");
        var snapshot = members.members(LOBBY);
        members.join(LOBBY, BOB, "s2");
        assertEquals(Set.of(ALICE), snapshot);
    }

    @Test
    void rooms_of_a_user_are_the_rooms_any_of_their_sockets_joined() {
        members.join(LOBBY, ALICE, "s1");
        members.join(OPS, ALICE, "s2");
        members.join(OPS, BOB, "s3");
        assertEquals(Set.of(LOBBY, OPS), members.roomsOf(ALICE));
        assertEquals(Set.of(OPS), members.roomsOf(BOB));
        members.leave(LOBBY, ALICE, "s1");
        assertEquals(Set.of(OPS), members.roomsOf(ALICE));
        assertEquals(Set.of(), members.roomsOf(new UserId("rm-nobody")));
    }

    @Test
    void room_count_counts_rooms_with_at_least_one_member() {
        assertEquals(0, members.roomCount());
        members.join(LOBBY, ALICE, "s1");
        members.join(LOBBY, BOB, "s2");
        members.join(OPS, ALICE, "s1");
        assertEquals(2, members.roomCount());
        members.leave(LOBBY, ALICE, "s1");
        assertEquals(2, members.roomCount());
        members.leave(LOBBY, BOB, "s2");
        assertEquals(1, members.roomCount());
        members.leave(OPS, ALICE, "s1");
        assertEquals(0, members.roomCount());
    }
}
