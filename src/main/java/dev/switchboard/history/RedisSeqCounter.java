package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Seqs for the cluster: {@code INCRBY sb:seq:<room>} in a script. A key Redis does not have (new
 * room, or Redis restarted empty) starts after the highest seq stored; the store's unique (room,
 * seq) constraint refuses a duplicate should two nodes race there. A seq of a batch that could not
 * be stored stays used (a gap): other nodes may already hold later ones. The script has one key, so
 * it runs on Redis Cluster as it is.
 */
public class RedisSeqCounter implements SeqCounter {
    private static final Script RESERVE =
            new Script(
                    """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              if tonumber(ARGV[2]) < 0 then return -1 end
              redis.call('SET', KEYS[1], ARGV[2], 'NX')
            end
            return redis.call('INCRBY', KEYS[1], ARGV[1])""");

    private final Redis redis;

    public RedisSeqCounter(Redis redis) {
        this.redis = redis;
    }

    @Override
    public long reserve(RoomName room, int count, LongSupplier storedMax) {
        return lastAfterAdding(room, count, storedMax) - count + 1;
    }

    @Override
    public long current(RoomName room, LongSupplier storedMax) {
        return lastAfterAdding(
                room, 0,
                storedMax); // INCRBY 0 reads the counter, learning the room as a reserve does
    }

    /**
     * The room's counter after adding {@code count}; the store is asked only when Redis does not
     * know the room.
     */
    private long lastAfterAdding(RoomName room, int count, LongSupplier storedMax) {
        List<String> key = List.of("sb:seq:" + room.value());
        long last = (Long) redis.eval(RESERVE, key, List.of(String.valueOf(count), "-1"));
        if (last < 0)
            last =
                    (Long)
                            redis.eval(
                                    RESERVE,
                                    key,
                                    List.of(
                                            String.valueOf(count),
                                            String.valueOf(storedMax.getAsLong())));
        return last;
    }

    @Override
    public void release(RoomName room, long first, int count) {
        // nothing to do: see the class comment
    }
}
