package dev.switchboard.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis Cluster hash tags ({@code {...}} in a key: only that part picks the key's slot) that spread
 * a feature's keys over {@value #SHARDS} shards. Redis Cluster refuses a script whose keys lie in
 * different slots, and a script that changes a user's keys and the feature's set of all online
 * users cannot tag by user alone: so the set is kept per shard, and a name's keys take its shard's
 * tag. The count is part of every key name: changing it orphans the keys.
 */
public final class HashTags {
    public static final int SHARDS = 16;

    private HashTags() {}

    /**
     * The tag of {@code name}'s shard, e.g. {@code {p7}}; String.hashCode is specified, so every
     * node agrees.
     */
    public static String of(String prefix, String name) {
        return tag(prefix, Math.floorMod(name.hashCode(), SHARDS));
    }

    /** Every shard's tag, for reading a per-shard key of all of them. */
    public static List<String> all(String prefix) {
        List<String> tags = new ArrayList<>(SHARDS);
        for (int shard = 0; shard < SHARDS; shard++) tags.add(tag(prefix, shard));
        return tags;
    }

    private static String tag(String prefix, int shard) {
        return "{" + prefix + shard + "}";
    }
}
