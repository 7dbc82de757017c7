package dev.switchboard.presence;

import dev.switchboard.UserId;
import dev.switchboard.cluster.HashTags;
import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Presence across the cluster in Redis. Keys, {@code {p<n>}} being the hash tag of the user's shard
 * ({@link HashTags}), so that each script's keys share one Redis Cluster slot:
 *
 * <ul>
 *   <li>{@code sb:p:{p<n>}:sockets:<user>} hash socket id → node id; the user is online while it is
 *       not empty
 *   <li>{@code sb:p:{p<n>}:status:<user>} the status an online user set
 *   <li>{@code sb:p:{p<n>}:online} set of the shard's online users ({@code onlineUsers} adds them
 *       up)
 *   <li>{@code sb:p:{p<n>}:node:<node>} set of "user socket" per node and shard, so a dead node's
 *       sockets can be reaped
 *   <li>{@code sb:nodes} hash node id → "startedAtMillis connections"; {@code sb:alive:<node>} the
 *       heartbeat, expiring after the node timeout (read in pipelines); {@code sb:reaper:lock} the
 *       reaping lock (a one-key script)
 * </ul>
 *
 * Every change that must be atomic with its first/last answer (or, on connect, the user's socket
 * count) is one Lua script.
 */
public class RedisPresenceStore implements PresenceStore {
    private static final String NODES = "sb:nodes";
    private static final String REAPER_LOCK = "sb:reaper:lock";

    /** Hash-tag prefix of the presence shards. */
    private static final String TAG = "p";

    private static final Script CONNECT =
            new Script(
                    """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[3] .. ' ' .. ARGV[1])
            local sockets = redis.call('HLEN', KEYS[1])
            if sockets == 1 then
              redis.call('SADD', KEYS[2], ARGV[3])
              redis.call('SET', KEYS[4], 'online')
            end
            return sockets""");
    private static final Script DISCONNECT =
            new Script(
                    """
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('SREM', KEYS[3], ARGV[2] .. ' ' .. ARGV[1])
            if removed == 1 and redis.call('HLEN', KEYS[1]) == 0 then
              redis.call('SREM', KEYS[2], ARGV[2])
              redis.call('DEL', KEYS[4])
              return 1
            end
            return 0""");
    private static final Script SET_STATUS =
            new Script(
                    """
            if redis.call('HLEN', KEYS[1]) > 0 then redis.call('SET', KEYS[2], ARGV[1]) end
            return 0""");
    private static final Script UNLOCK =
            new Script(
                    """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""");

    private final Redis redis;
    private final String nodeId;

    public RedisPresenceStore(Redis redis, String nodeId) {
        this.redis = redis;
        this.nodeId = nodeId;
    }

    @Override
    public int connect(UserId user, String socketId) {
        Object sockets =
                redis.eval(
                        CONNECT,
                        socketKeys(user.value(), nodeId),
                        List.of(socketId, nodeId, user.value()));
        return ((Long) sockets).intValue();
    }

    @Override
    public int sockets(UserId user) {
        return redis.call(j -> j.hlen(sockets(HashTags.of(TAG, user.value()), user.value())))
                .intValue();
    }

    @Override
    public boolean disconnect(UserId user, String socketId) {
        return disconnect(user.value(), socketId, nodeId);
    }

    private boolean disconnect(String user, String socketId, String node) {
        return one(redis.eval(DISCONNECT, socketKeys(user, node), List.of(socketId, user)));
    }

    @Override
    public void setStatus(UserId user, Status status) {
        redis.eval(SET_STATUS, setStatusKeys(user.value()), List.of(status.wire()));
    }

    @Override
    public Status status(UserId user) {
        String value = redis.call(j -> j.get(status(user.value())));
        Status status = value == null ? null : Status.settable(value);
        return status == null ? Status.OFFLINE : status;
    }

    @Override
    public int onlineUsers() {
        return redis.call(
                j -> {
                    var p = j.pipelined();
                    List<Response<Long>> counts = new ArrayList<>();
                    for (String tag : HashTags.all(TAG)) counts.add(p.scard(online(tag)));
                    p.sync();
                    return counts.stream().mapToInt(c -> c.get().intValue()).sum();
                });
    }

    @Override
    public boolean heartbeat(String node, Instant startedAt, int connections, Duration ttl) {
        return redis.call(
                j -> {
                    var p = j.pipelined();
                    p.set("sb:alive:" + node, "1", SetParams.setParams().px(ttl.toMillis()));
                    Response<Long> added =
                            p.hset(NODES, node, startedAt.toEpochMilli() + " " + connections);
                    p.sync();
                    return added.get() == 0;
                });
    }

    @Override
    public List<NodeInfo> liveNodes() {
        return redis.call(
                j -> {
                    Map<String, String> nodes = j.hgetAll(NODES);
                    var p = j.pipelined();
                    List<Response<Boolean>> alive = new ArrayList<>();
                    List<String> ids = new ArrayList<>(nodes.keySet());
                    for (String id : ids) alive.add(p.exists("sb:alive:" + id));
                    p.sync();
                    List<NodeInfo> live = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        if (!alive.get(i).get()) continue;
                        String[] value = nodes.get(ids.get(i)).split(" ");
                        live.add(
                                new NodeInfo(
                                        ids.get(i),
                                        Integer.parseInt(value[1]),
                                        Instant.ofEpochMilli(Long.parseLong(value[0]))));
                    }
                    live.sort(java.util.Comparator.comparing(NodeInfo::id));
                    return live;
                });
    }

    @Override
    public List<String> deadNodes() {
        return redis.call(
                j -> {
                    List<String> ids = new ArrayList<>(j.hkeys(NODES));
                    var p = j.pipelined();
                    List<Response<Boolean>> alive = new ArrayList<>();
                    for (String id : ids) alive.add(p.exists("sb:alive:" + id));
                    p.sync();
                    List<String> dead = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++)
                        if (!alive.get(i).get()) dead.add(ids.get(i));
                    return dead;
                });
    }

    @Override
    public boolean tryLockReaping(String owner, Duration ttl) {
        return "OK"
                .equals(
                        redis.call(
                                j ->
                                        j.set(
                                                REAPER_LOCK,
                                                owner,
                                                SetParams.setParams().nx().px(ttl.toMillis()))));
    }

    @Override
    public void unlockReaping(String owner) {
        redis.eval(UNLOCK, List.of(REAPER_LOCK), List.of(owner));
    }

    @Override
    public Set<UserId> reapNode(String node) {
        Set<UserId> offline = new HashSet<>();
        for (String tag : HashTags.all(TAG)) {
            for (String entry : redis.call(j -> j.smembers(nodeSockets(tag, node)))) {
                String[] userAndSocket = entry.split(" ");
                if (disconnect(userAndSocket[0], userAndSocket[1], node))
                    offline.add(new UserId(userAndSocket[0]));
            }
        }
        redis.call(
                j -> {
                    // one key per DEL: the shards' keys lie in different slots
                    var p = j.pipelined();
                    for (String tag : HashTags.all(TAG)) p.del(nodeSockets(tag, node));
                    p.hdel(NODES, node);
                    p.sync();
                    return null;
                });
        return offline;
    }

    /** KEYS of CONNECT and DISCONNECT: all in the user's shard, as are SET_STATUS's. */
    static List<String> socketKeys(String user, String node) {
        String tag = HashTags.of(TAG, user);
        return List.of(sockets(tag, user), online(tag), nodeSockets(tag, node), status(tag, user));
    }

    static List<String> setStatusKeys(String user) {
        String tag = HashTags.of(TAG, user);
        return List.of(sockets(tag, user), status(tag, user));
    }

    private static String sockets(String tag, String user) {
        return "sb:p:" + tag + ":sockets:" + user;
    }

    private static String status(String user) {
        return status(HashTags.of(TAG, user), user);
    }

    private static String status(String tag, String user) {
        return "sb:p:" + tag + ":status:" + user;
    }

    private static String online(String tag) {
        return "sb:p:" + tag + ":online";
    }

    private static String nodeSockets(String tag, String node) {
        return "sb:p:" + tag + ":node:" + node;
    }

    private static boolean one(Object result) {
        return result instanceof Long n && n == 1L;
    }
}
