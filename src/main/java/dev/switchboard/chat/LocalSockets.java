package dev.switchboard.chat;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.node.Counters;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import dev.switchboard.routing.LocalDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The sockets of this node, by room and by user, for local fan-out. It tells the bus which rooms
 * and users this node holds: on the first local socket of a room or user it watches it, on the last
 * it unwatches it. Both are asked for inside the map's atomic update for that key, so a leave and a
 * join racing on one room cannot leave the binding in the wrong state; the wait for the broker's
 * answer comes after it, so other keys' joins and leaves never wait on the broker. The bus hands it
 * every frame for this node ({@link LocalDelivery}).
 */
@ApplicationScoped
class LocalSockets implements LocalDelivery {
    @Inject Bus bus;
    @Inject Counters counters;

    private final Map<String, ClientSocket> all = new ConcurrentHashMap<>();
    private final Map<RoomName, Sockets> byRoom = new ConcurrentHashMap<>();
    private final Map<UserId, Sockets> byUser = new ConcurrentHashMap<>();

    /**
     * A room's or user's sockets here, and the binding their first one asked for, which every later
     * one waits for too.
     */
    private record Sockets(Set<ClientSocket> members, Bus.Applied bound) {}

    void add(ClientSocket socket) {
        all.put(socket.id(), socket);
        addTo(byUser, socket.user().id(), socket, () -> bus.watchUser(socket.user().id().value()));
    }

    void remove(ClientSocket socket) {
        all.remove(socket.id());
        removeFrom(
                byUser,
                socket.user().id(),
                socket,
                () -> bus.unwatchUser(socket.user().id().value()));
    }

    void addToRoom(RoomName room, ClientSocket socket) {
        addTo(byRoom, room, socket, () -> bus.watchRoom(room.value()));
    }

    void removeFromRoom(RoomName room, ClientSocket socket) {
        removeFrom(byRoom, room, socket, () -> bus.unwatchRoom(room.value()));
    }

    int count() {
        return all.size();
    }

    Collection<ClientSocket> all() {
        return all.values();
    }

    /**
     * @return the open socket with this id on this node, or null
     */
    ClientSocket find(String socketId) {
        return socketId == null ? null : all.get(socketId);
    }

    @Override
    public void deliver(Envelope envelope) {
        int frames = queue(envelope);
        counters.delivered(frames);
        if (frames > 0 && envelope.acceptedAtMs() > 0)
            counters.deliveryLatency(System.currentTimeMillis() - envelope.acceptedAtMs());
    }

    /**
     * @return the number of sockets the frame was queued for
     */
    private int queue(Envelope envelope) {
        int delivered = 0;
        if (envelope.target() == Envelope.Target.ROOM) {
            RoomName room = new RoomName(envelope.name());
            for (ClientSocket s : members(byRoom.get(room))) {
                if (s.deliver(room, envelope)) delivered++;
            }
        } else {
            for (ClientSocket s : members(byUser.get(new UserId(envelope.name())))) {
                if (s.deliver(envelope)) delivered++;
            }
        }
        return delivered;
    }

    private static Set<ClientSocket> members(Sockets sockets) {
        return sockets == null ? Set.of() : sockets.members();
    }

    /** Returns once the bus routes the key's frames here (or gave up, logged there). */
    private static <K> void addTo(
            Map<K, Sockets> index, K key, ClientSocket socket, Supplier<Bus.Applied> watch) {
        Sockets sockets =
                index.compute(
                        key,
                        (k, current) -> {
                            Sockets s =
                                    current != null
                                            ? current
                                            : new Sockets(
                                                    ConcurrentHashMap.newKeySet(), watch.get());
                            s.members().add(socket);
                            return s;
                        });
        sockets.bound().await();
    }

    private static <K> void removeFrom(
            Map<K, Sockets> index, K key, ClientSocket socket, Runnable unwatch) {
        index.computeIfPresent(
                key,
                (k, s) -> {
                    if (!s.members().remove(socket) || !s.members().isEmpty()) return s;
                    unwatch.run();
                    return null;
                });
    }
}
