package dev.switchboard.chat;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.routing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets of this node, by room and by user, for local fan-out. The first/last answers let the
 * service tell the bus which rooms and users this node holds.
 */
@ApplicationScoped
class LocalSockets {
    private final Map<String, ClientSocket> all = new ConcurrentHashMap<>();
    private final Map<RoomName, Set<ClientSocket>> byRoom = new ConcurrentHashMap<>();
    private final Map<UserId, Set<ClientSocket>> byUser = new ConcurrentHashMap<>();

    /** @return true when this is the user's first socket on this node */
    boolean add(ClientSocket socket) {
        all.put(socket.id(), socket);
        return addTo(byUser, socket.user().id(), socket);
    }

    /** @return true when this was the user's last socket on this node */
    boolean remove(ClientSocket socket) {
        all.remove(socket.id());
        return removeFrom(byUser, socket.user().id(), socket);
    }

    /** @return true when this is the first socket of this node in the room */
    boolean addToRoom(RoomName room, ClientSocket socket) {
        return addTo(byRoom, room, socket);
    }

    /** @return true when this was the last socket of this node in the room */
    boolean removeFromRoom(RoomName room, ClientSocket socket) {
        return removeFrom(byRoom, room, socket);
    }

    int count() {
        return all.size();
    }

    Collection<ClientSocket> all() {
        return all.values();
    }

    /** @return the number of sockets the frame was queued for */
    int deliver(Envelope envelope) {
        int delivered = 0;
        if (envelope.target() == Envelope.Target.ROOM) {
            RoomName room = new RoomName(envelope.name());
            for (ClientSocket s : byRoom.getOrDefault(room, Set.of())) {
                if (s.deliver(room, envelope)) delivered++;
            }
        } else {
            for (ClientSocket s : byUser.getOrDefault(new UserId(envelope.name()), Set.of())) {
                if (s.deliver(envelope)) delivered++;
            }
        }
        return delivered;
    }

    private static <K> boolean addTo(Map<K, Set<ClientSocket>> index, K key, ClientSocket socket) {
        boolean[] first = {false};
        index.compute(key, (k, set) -> {
            if (set == null) set = ConcurrentHashMap.newKeySet();
            first[0] = set.isEmpty();
            set.add(socket);
            return set;
        });
        return first[0];
    }

    private static <K> boolean removeFrom(Map<K, Set<ClientSocket>> index, K key, ClientSocket socket) {
        boolean[] last = {false};
        index.computeIfPresent(key, (k, set) -> {
            if (!set.remove(socket)) return set;
            last[0] = set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        return last[0];
    }
}
