package dev.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.UserId;
import org.junit.jupiter.api.Test;

class InMemoryPresenceStoreTest {
    private static final UserId ALICE = new UserId("ps-alice");
    private static final UserId BOB = new UserId("ps-bob");

    private final InMemoryPresenceStore store = new InMemoryPresenceStore();

    @Test
    void a_users_first_socket_brings_them_online() {
        assertEquals(Status.OFFLINE, store.status(ALICE));
        assertEquals(1, store.connect(ALICE, "s1"));
        assertEquals(Status.ONLINE, store.status(ALICE));
        assertEquals(2, store.connect(ALICE, "s2"));
        assertEquals(1, store.connect(BOB, "s3"), "first is per user");
    }

    @Test
    void connect_counts_the_users_sockets_so_one_over_a_limit_can_be_taken_back() {
        for (int i = 1; i <= 3; i++) assertEquals(i, store.connect(ALICE, "s" + i));
        assertEquals(
                3,
                store.connect(ALICE, "s3"),
                "the same socket again (a re-registration) is not counted twice");
        assertEquals(4, store.connect(ALICE, "s4"));
        // a socket refused for being over the limit is removed at once: the user stays online with
        // the others
        assertFalse(store.disconnect(ALICE, "s4"));
        assertEquals(Status.ONLINE, store.status(ALICE));
        assertEquals(4, store.connect(ALICE, "s5"), "the refused socket no longer counts");
        for (String s : new String[] {"s1", "s2", "s3"}) assertFalse(store.disconnect(ALICE, s));
        assertTrue(store.disconnect(ALICE, "s5"), "the last of the others takes the user offline");
        assertEquals(1, store.connect(ALICE, "s6"), "and the next socket is the first again");
    }

    @Test
    void only_the_last_socket_closing_takes_the_user_offline() {
        store.connect(ALICE, "s1");
        store.connect(ALICE, "s2");
        assertFalse(store.disconnect(ALICE, "s1"));
        assertEquals(Status.ONLINE, store.status(ALICE));
        assertTrue(store.disconnect(ALICE, "s2"));
        assertEquals(Status.OFFLINE, store.status(ALICE));
    }

    @Test
    void disconnecting_an_unknown_socket_changes_nothing() {
        store.connect(ALICE, "s1");
        assertFalse(store.disconnect(ALICE, "s9"));
        assertFalse(store.disconnect(BOB, "s1"));
        assertEquals(Status.ONLINE, store.status(ALICE));
        assertEquals(1, store.onlineUsers());
    }

    @Test
    void a_second_disconnect_of_the_same_socket_is_not_last_again() {
        store.connect(ALICE, "s1");
        assertTrue(store.disconnect(ALICE, "s1"));
        assertFalse(store.disconnect(ALICE, "s1"));
    }

    @Test
    void an_online_user_can_set_away_busy_and_online() {
        store.connect(ALICE, "s1");
        store.setStatus(ALICE, Status.AWAY);
        assertEquals(Status.AWAY, store.status(ALICE));
        store.setStatus(ALICE, Status.BUSY);
        assertEquals(Status.BUSY, store.status(ALICE));
        store.setStatus(ALICE, Status.ONLINE);
        assertEquals(Status.ONLINE, store.status(ALICE));
    }

    @Test
    void a_status_survives_a_second_socket_and_the_close_of_one() {
        store.connect(ALICE, "s1");
        store.setStatus(ALICE, Status.BUSY);
        store.connect(ALICE, "s2");
        assertEquals(Status.BUSY, store.status(ALICE));
        store.disconnect(ALICE, "s1");
        assertEquals(Status.BUSY, store.status(ALICE));
    }

    @Test
    void a_user_who_went_offline_comes_back_online_not_with_the_old_status() {
        store.connect(ALICE, "s1");
        store.setStatus(ALICE, Status.AWAY);
        store.disconnect(ALICE, "s1");
        assertEquals(Status.OFFLINE, store.status(ALICE));
        store.connect(ALICE, "s2");
        assertEquals(Status.ONLINE, store.status(ALICE));
    }

    @Test
    void setting_the_status_of_an_offline_user_is_ignored() {
        store.setStatus(BOB, Status.BUSY);
        assertEquals(Status.OFFLINE, store.status(BOB));
        assertEquals(0, store.onlineUsers());
        store.connect(BOB, "s1");
        assertEquals(Status.ONLINE, store.status(BOB));
    }

    @Test
    void online_users_counts_distinct_users_not_sockets() {
        store.connect(ALICE, "s1");
        store.connect(ALICE, "s2");
        store.connect(BOB, "s3");
        assertEquals(2, store.onlineUsers());
        store.disconnect(ALICE, "s1");
        assertEquals(2, store.onlineUsers());
        store.disconnect(ALICE, "s2");
        assertEquals(1, store.onlineUsers());
    }
}
