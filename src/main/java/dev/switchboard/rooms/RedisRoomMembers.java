package dev.switchboard.rooms;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Room membership across the cluster in Redis. Keys:
 * <ul>
 * <li>{@code sb:r:sockets:<room>:<user>} set of the user's socket ids in the room</li>
 * <li>{@code sb:r:users:<room>} set of members; {@code sb:r:rooms:<user>} set of the user's rooms;
 * {@code sb:r:active} set of rooms with members</li>
 * <li>{@code sb:node:<node>:rooms} set of "room user socket" per node, so a dead node can be reaped</li>
 * </ul>
 * Join and leave are Lua scripts: the first/last answer is atomic with the change, cluster-wide.
 */
public class RedisRoomMembers implements RoomMembers {
    private static final String ACTIVE = "sb:r:active";
    private static final Script JOIN = new Script("""
            redis.call('SADD', KEYS[5], ARGV[3] .. ' ' .. ARGV[2] .. ' ' .. ARGV[1])
            local added = redis.call('SADD', KEYS[1], ARGV[1])
            if added == 1 and redis.call('SCARD', KEYS[1]) == 1 then
              redis.call('SADD', KEYS[2], ARGV[2])
              redis.call('SADD', KEYS[3], ARGV[3])
              redis.call('SADD', KEYS[4], ARGV[3])
              return 1
            end
            return 0""");
    private static final Script LEAVE = new Script("""
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
        Object result = redis.eval(script,
                List.of("sb:r:sockets:" + room + ":" + user, "sb:r:users:" + room, "sb:r:rooms:" + user, ACTIVE, nodeRooms(node)),
                List.of(socketId, user, room));
        return result instanceof Long n && n == 1L;
    }

    @Override
    public Set<UserId> members(RoomName room) {
        Set<UserId> members = new TreeSet<>();
        redis.call(j -> j.smembers("sb:r:users:" + room.value())).forEach(u -> members.add(new UserId(u)));
        return members;
    }

    @Override
    public Set<RoomName> roomsOf(UserId user) {
        Set<RoomName> rooms = new HashSet<>();
        redis.call(j -> j.smembers("sb:r:rooms:" + user.value())).forEach(r -> rooms.add(new RoomName(r)));
        return rooms;
    }

    @Override
    public int roomCount() {
        return redis.call(j -> j.scard(ACTIVE)).intValue();
    }

    @Override
    public List<RoomUser> reapNode(String node) {
        List<RoomUser> lastLeft = new ArrayList<>();
        for (String entry : redis.call(j -> j.smembers(nodeRooms(node)))) {
            String[] parts = entry.split(" ");     // room user socket: names hold no spaces
            if (run(LEAVE, parts[0], parts[1], parts[2], node)) lastLeft.add(new RoomUser(new RoomName(parts[0]), new UserId(parts[1])));
        }
        redis.call(j -> j.del(nodeRooms(node)));
        return lastLeft;
    }

    private static String nodeRooms(String node) {
        return "sb:node:" + node + ":rooms";
    }
}
