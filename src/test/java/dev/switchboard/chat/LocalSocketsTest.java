package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.node.Counters;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** This node's sockets and the bus bindings they ask for. */
class LocalSocketsTest {
    private static final RoomName ROOM = new RoomName("ls-lobby");
    private static final RoomName OTHER_ROOM = new RoomName("ls-ops");

    /** A bus whose room bindings take effect only when the test says so. */
    private static final class SlowBindings implements Bus {
        final List<String> changes = new CopyOnWriteArrayList<>();
        final CountDownLatch brokerAnswers = new CountDownLatch(1);
        final CountDownLatch waiting;

        SlowBindings(int waiters) {
            waiting = new CountDownLatch(waiters);
        }

        @Override
        public void publish(Envelope envelope) {}

        @Override
        public Applied watchRoom(String room) {
            changes.add("watch " + room);
            if (!room.equals(ROOM.value())) return Applied.NOW;
            return () -> {
                waiting.countDown();
                try {
                    brokerAnswers.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }

        @Override
        public void unwatchRoom(String room) {
            changes.add("unwatch " + room);
        }
    }

    private static ClientSocket socket(String id, List<String> received) {
        return new ClientSocket(
                id,
                new AuthenticatedUser(
                        new UserId("ls-" + id), id, null, Instant.parse("2030-01-01T00:00:00Z")),
                new OutboundQueue(
                        100,
                        (frame, done) -> {
                            received.add(frame);
                            done.completed(null);
                        },
                        () -> {}),
                (code, reason) -> {});
    }

    private static LocalSockets local(Bus bus) {
        var local = new LocalSockets();
        local.bus = bus;
        local.counters = new Counters();
        return local;
    }

    @Test
    void a_later_socket_in_a_room_waits_for_the_binding_the_first_asked_for_and_other_rooms_do_not()
            throws Exception {
        var bus = new SlowBindings(2);
        var local = local(bus);
        List<String> received = new CopyOnWriteArrayList<>();
        var first = new Thread(() -> local.addToRoom(ROOM, socket("a", received)));
        var second = new Thread(() -> local.addToRoom(ROOM, socket("b", received)));
        first.start();
        second.start();

        assertTrue(bus.waiting.await(5, TimeUnit.SECONDS), "both joins wait for the one binding");
        local.addToRoom(
                OTHER_ROOM,
                socket("c", received)); // not held up by the broker's answer for another room
        bus.brokerAnswers.countDown();
        first.join(5000);
        second.join(5000);
        assertEquals(
                List.of("watch " + ROOM.value(), "watch " + OTHER_ROOM.value()),
                bus.changes,
                "one binding per room");
    }

    @Test
    void the_last_socket_out_unwatches_and_the_next_one_in_watches_again() {
        var bus = new SlowBindings(0);
        bus.brokerAnswers.countDown();
        var local = local(bus);
        List<String> received = new CopyOnWriteArrayList<>();
        var a = socket("a", received);
        var b = socket("b", received);
        local.addToRoom(OTHER_ROOM, a);
        local.addToRoom(OTHER_ROOM, b);
        local.removeFromRoom(OTHER_ROOM, a);
        local.removeFromRoom(OTHER_ROOM, b);
        local.addToRoom(OTHER_ROOM, a);
        assertEquals(List.of("watch ls-ops", "unwatch ls-ops", "watch ls-ops"), bus.changes);
    }

    @Test
    void a_room_frame_goes_to_the_rooms_sockets_here_but_not_the_excepted_one() {
        var local = local(new SlowBindings(0));
        List<String> toA = new CopyOnWriteArrayList<>();
        List<String> toB = new CopyOnWriteArrayList<>();
        var a = socket("a", toA);
        var b = socket("b", toB);
        a.startSending();
        b.startSending();
        local.addToRoom(OTHER_ROOM, a);
        local.addToRoom(OTHER_ROOM, b);
        local.deliver(Envelope.toRoom(OTHER_ROOM.value(), "typing", "a"));
        local.deliver(Envelope.toRoom(ROOM.value(), "elsewhere", null));
        assertEquals(List.of(), toA);
        assertEquals(List.of("typing"), toB);
    }
}
