package dev.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Redis Cluster refuses (CROSSSLOT) a script whose keys lie in different slots. */
class RedisPresenceKeysTest {
    private static final List<String> USERS =
            List.of("alice", "bob", "u-{x}", "{p3}", "z".repeat(64), "c-7f3a");

    @Test
    void the_keys_of_each_script_share_one_slot() {
        for (String user : USERS) {
            for (String node : List.of("node1", "n-{p9}")) {
                assertOneSlot(RedisPresenceStore.socketKeys(user, node));
            }
            assertOneSlot(RedisPresenceStore.setStatusKeys(user));
            assertEquals(
                    slots(RedisPresenceStore.socketKeys(user, "node1")),
                    slots(RedisPresenceStore.setStatusKeys(user)));
        }
    }

    @Test
    void users_are_spread_over_slots() {
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 200; i++)
            slots.addAll(slots(RedisPresenceStore.socketKeys("user" + i, "node1")));
        assertTrue(slots.size() >= 12, "users of 200 landed in " + slots.size() + " slots");
    }

    private static Set<Integer> slots(List<String> keys) {
        return keys.stream().map(JedisClusterCRC16::getSlot).collect(Collectors.toSet());
    }

    private static void assertOneSlot(List<String> keys) {
        assertEquals(1, slots(keys).size(), "keys in different slots: " + keys);
    }
}
