package dev.switchboard.rooms;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.cluster.HashTags;
import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.Response;

/**
 * Room membership across the cluster in Redis. Keys, {@code {r<n>}} being the hash tag of the
 * room's shard ({@link HashTags}), so that each script's keys share one Redis Cluster slot:
 *
 * <ul>
 *   <li>{@code sb:r:{r<n>}:sockets:<room>:<user>} set of the user's socket ids in the room
 *   <li>{@code sb:r:{r<n>}:users:<room>} set of members; {@code sb:r:{r<n>}:rooms:<user>} set of
 *       the user's rooms in the shard ({@code roomsOf} reads all shards); {@code
 *       sb:r:{r<n>}:active} set of the shard's rooms with members ({@code roomCount} adds them up)
 *   <li>{@code sb:r:{r<n>}:node:<node>} set of "room user socket" per node and shard, so a dead
 *       node can be reaped
 * </ul>
 *
 * Join and leave are Lua scripts: the first/last answer is atomic with the change, cluster-wide.
 */
public class RedisRoomMembers implements RoomMembers {
    /** Hash-tag prefix of the membership shards. */
    private static final String TAG = "r";

    private static final Script JOIN =
            new Script(
                    """
            redis.call('SADD', KEYS[5], ARGV[3] .. ' ' .. ARGV[2] .. ' ' .. ARGV[1])
            local added = redis.call('SADD', KEYS[1], ARGV[1])
            if added == 1 and redis.call('SCARD', KEYS[1]) == 1 then
              redis.call('SADD', KEYS[2], ARGV[2])
              redis.call('SADD', KEYS[3], ARGV[3])
              redis.call('SADD', KEYS[4], ARGV[3])
              return 1
            end
            return 0""");
    private static final Script LEAVE =
            new Script(
                    """
            redis.call('SREM', KEYS[5], ARGV[3] .. ' ' .. ARGV[2] .. ' ' .. ARGV[1])
            local removed = redis.call('SREM', KEYS[1], ARGV[1])
            if removed == 1 and redis.call('SCARD', KEYS[1]) == 0 then
              redis.call('SREM', KEYS[2], ARGV[2])
              redis.call('SREM', KEYS[3], ARGV[3])
              if redis.call('SCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[4], ARGV[3]) end
              return 1
            end
            return 0""");

    private final Redis redis;
    private final String nodeId;

    public RedisRoomMembers(Redis redis, String nodeId) {
        this.redis = redis;
        this.nodeId = nodeId;
    }

    @Override
    public boolean join(RoomName room, UserId user, String socketId) {
        return run(JOIN, room.value(), user.value(), socketId, nodeId);
    }

    @Override
    public boolean leave(RoomName room, UserId user, String socketId) {
        return run(LEAVE, room.value(), user.value(), socketId, nodeId);
    }

    private boolean run(Script script, String room, String user, String socketId, String node) {
        Object result =
                redis.eval(script, scriptKeys(room, user, node), List.of(socketId, user, room));
        return result instanceof Long n && n == 1L;
    }

    @Override
    public Set<UserId> members(RoomName room) {
        Set<UserId> members = new TreeSet<>();
        redis.call(j -> j.smembers(users(HashTags.of(TAG, room.value()), room.value())))
                .forEach(u -> members.add(new UserId(u)));
        return members;
    }

    @Override
    public Set<RoomName> roomsOf(UserId user) {
        Set<RoomName> rooms = new HashSet<>();
        List<Response<Set<String>>> shards = new ArrayList<>();
        redis.call(
                j -> {
                    var p = j.pipelined();
                    for (String tag : HashTags.all(TAG))
                        shards.add(p.smembers(rooms(tag, user.value())));
                    p.sync();
                    return null;
                });
        shards.forEach(shard -> shard.get().forEach(r -> rooms.add(new RoomName(r))));
        return rooms;
    }

    @Override
    public int roomCount() {
        return redis.call(
                j -> {
                    var p = j.pipelined();
                    List<Response<Long>> counts = new ArrayList<>();
                    for (String tag : HashTags.all(TAG)) counts.add(p.scard(active(tag)));
                    p.sync();
                    return counts.stream().mapToInt(c -> c.get().intValue()).sum();
                });
    }

    @Override
    public List<RoomUser> reapNode(String node) {
        List<RoomUser> lastLeft = new ArrayList<>();
        for (String tag : HashTags.all(TAG)) {
            for (String entry : redis.call(j -> j.smembers(nodeRooms(tag, node)))) {
                String[] parts = entry.split(" "); // room user socket: names hold no spaces
                if (run(LEAVE, parts[0], parts[1], parts[2], node))
                    lastLeft.add(new RoomUser(new RoomName(parts[0]), new UserId(parts[1])));
            }
        }
        redis.call(
                j -> {
                    // one key per DEL: the shards' keys lie in different slots
                    var p = j.pipelined();
                    for (String tag : HashTags.all(TAG)) p.del(nodeRooms(tag, node));
                    p.sync();
                    return null;
                });
        return lastLeft;
    }

    /** KEYS of JOIN and LEAVE: all in the room's shard. */
    static List<String> scriptKeys(String room, String user, String node) {
        String tag = HashTags.of(TAG, room);
        return List.of(
                "sb:r:" + tag + ":sockets:" + room + ":" + user,
                users(tag, room),
                rooms(tag, user),
                active(tag),
                nodeRooms(tag, node));
    }

    private static String users(String tag, String room) {
        return "sb:r:" + tag + ":users:" + room;
    }

    private static String rooms(String tag, String user) {
        return "sb:r:" + tag + ":rooms:" + user;
    }

    private static String active(String tag) {
        return "sb:r:" + tag + ":active";
    }

    private static String nodeRooms(String tag, String node) {
        return "sb:r:" + tag + ":node:" + node;
    }
}
