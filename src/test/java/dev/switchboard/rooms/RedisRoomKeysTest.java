package dev.switchboard.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Redis Cluster refuses (CROSSSLOT) a script whose keys lie in different slots. */
class RedisRoomKeysTest {
    @Test
    void the_keys_of_join_and_leave_share_one_slot() {
        for (String room : List.of("lobby", "r-{x}", "{r3}", "a".repeat(64))) {
            for (String user : List.of("alice", "bob", "{r5}")) {
                assertEquals(
                        1,
                        slots(RedisRoomMembers.scriptKeys(room, user, "node1")).size(),
                        "keys in different slots: "
                                + RedisRoomMembers.scriptKeys(room, user, "node1"));
            }
        }
    }

    @Test
    void rooms_are_spread_over_slots() {
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 200; i++)
            slots.addAll(slots(RedisRoomMembers.scriptKeys("room" + i, "alice", "node1")));
        assertTrue(slots.size() >= 12, "rooms of 200 landed in " + slots.size() + " slots");
    }

    private static Set<Integer> slots(List<String> keys) {
        return keys.stream().map(JedisClusterCRC16::getSlot).collect(Collectors.toSet());
    }
}
