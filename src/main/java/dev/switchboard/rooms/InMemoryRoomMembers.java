package dev.switchboard.rooms;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Membership of one node. One lock for the whole map: first-join and last-leave must be decided
 * atomically with the change, and every call is a few map operations.
 */
public class InMemoryRoomMembers implements RoomMembers {
    private final Map<RoomName, Map<UserId, Set<String>>> rooms = new HashMap<>();

    @Override
    public synchronized boolean join(RoomName room, UserId user, String socketId) {
        Set<String> sockets =
                rooms.computeIfAbsent(room, r -> new HashMap<>())
                        .computeIfAbsent(user, u -> new HashSet<>());
        boolean first = sockets.isEmpty();
        sockets.add(socketId);
        return first;
    }

    @Override
    public synchronized boolean leave(RoomName room, UserId user, String socketId) {
        Map<UserId, Set<String>> users = rooms.get(room);
        if (users == null) return false;
        Set<String> sockets = users.get(user);
        if (sockets == null || !sockets.remove(socketId)) return false;
        if (!sockets.isEmpty()) return false;
        users.remove(user);
        if (users.isEmpty()) rooms.remove(room);
        return true;
    }

    @Override
    public synchronized Set<UserId> members(RoomName room) {
        return new TreeSet<>(rooms.getOrDefault(room, Map.of()).keySet());
    }

    @Override
    public synchronized Set<RoomName> roomsOf(UserId user) {
        Set<RoomName> result = new HashSet<>();
        rooms.forEach(
                (room, users) -> {
                    if (users.containsKey(user)) result.add(room);
                });
        return result;
    }

    @Override
    public synchronized int roomCount() {
        return rooms.size();
    }

    /** A standalone node is the whole deployment: there is no other node to die. */
    @Override
    public List<RoomUser> reapNode(String nodeId) {
        return List.of();
    }
}
