package dev.switchboard.history;

import dev.switchboard.RoomName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A standalone node's recent messages: the last {@code perRoom} of the {@code rooms} most recently
 * used rooms, so memory stays bounded however many rooms there are (100 × 1,000 small records).
 */
public class InMemoryRecentHistory implements RecentHistory {
    private final int perRoom;
    private final Map<RoomName, TreeMap<Long, RoomMessage>> rooms;

    public InMemoryRecentHistory(int perRoom, int maxRooms) {
        this.perRoom = perRoom;
        this.rooms =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(
                            Map.Entry<RoomName, TreeMap<Long, RoomMessage>> eldest) {
                        return size() > maxRooms;
                    }
                };
    }

    @Override
    public synchronized void append(List<RoomMessage> stored) {
        for (RoomMessage m : stored) {
            TreeMap<Long, RoomMessage> kept = rooms.computeIfAbsent(m.room(), r -> new TreeMap<>());
            kept.put(m.seq(), m);
            while (kept.size() > perRoom) kept.pollFirstEntry();
        }
    }

    @Override
    public synchronized List<RoomMessage> latest(RoomName room) {
        TreeMap<Long, RoomMessage> kept = rooms.get(room);
        return kept == null ? List.of() : new ArrayList<>(kept.values());
    }
}
