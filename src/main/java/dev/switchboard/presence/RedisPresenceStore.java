package dev.switchboard.presence;

import dev.switchboard.UserId;
import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence across the cluster in Redis. Keys:
 * <ul>
 * <li>{@code sb:p:sockets:<user>} hash socket id → node id; the user is online while it is not empty</li>
 * <li>{@code sb:p:status:<user>} the status an online user set</li>
 * <li>{@code sb:p:online} set of online users (for {@code onlineUsers})</li>
 * <li>{@code sb:node:<node>:sockets} set of "user socket" per node, so a dead node's sockets can be reaped</li>
 * <li>{@code sb:nodes} hash node id → "startedAtMillis connections"; {@code sb:alive:<node>} the
 * heartbeat, expiring after the node timeout; {@code sb:reaper:lock} the reaping lock</li>
 * </ul>
 * Every change that must be atomic with its first/last answer (or, on connect, the user's socket
 * count) is one Lua script.
 */
public class RedisPresenceStore implements PresenceStore {
    private static final String NODES = "sb:nodes";
    private static final String ONLINE = "sb:p:online";
    private static final String REAPER_LOCK = "sb:reaper:lock";

    private static final Script CONNECT = new Script("""
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[3] .. ' ' .. ARGV[1])
            local sockets = redis.call('HLEN', KEYS[1])
            if sockets == 1 then
              redis.call('SADD', KEYS[2], ARGV[3])
              redis.call('SET', KEYS[4], 'online')
            end
            return sockets""");
    private static final Script DISCONNECT = new Script("""
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('SREM', KEYS[3], ARGV[2] .. ' ' .. ARGV[1])
            if removed == 1 and redis.call('HLEN', KEYS[1]) == 0 then
              redis.call('SREM', KEYS[2], ARGV[2])
              redis.call('DEL', KEYS[4])
              return 1
            end
            return 0""");
    private static final Script SET_STATUS = new Script("""
            if redis.call('HLEN', KEYS[1]) > 0 then redis.call('SET', KEYS[2], ARGV[1]) end
            return 0""");
    private static final Script UNLOCK = new Script("""
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
        Object sockets = redis.eval(CONNECT, List.of(sockets(user), ONLINE, nodeSockets(nodeId), status(user.value())),
                List.of(socketId, nodeId, user.value()));
        return ((Long) sockets).intValue();
    }

    @Override
    public boolean disconnect(UserId user, String socketId) {
        return disconnect(user.value(), socketId, nodeId);
    }

    private boolean disconnect(String user, String socketId, String node) {
        return one(redis.eval(DISCONNECT, List.of("sb:p:sockets:" + user, ONLINE, nodeSockets(node), status(user)),
                List.of(socketId, user)));
    }

    @Override
    public void setStatus(UserId user, Status status) {
        redis.eval(SET_STATUS, List.of(sockets(user), status(user.value())), List.of(status.wire()));
    }

    @Override
    public Status status(UserId user) {
        String value = redis.call(j -> j.get(status(user.value())));
        Status status = value == null ? null : Status.settable(value);
        return status == null ? Status.OFFLINE : status;
    }

    @Override
    public int onlineUsers() {
        return redis.call(j -> j.scard(ONLINE)).intValue();
    }

    @Override
    public boolean heartbeat(String node, Instant startedAt, int connections, Duration ttl) {
        return redis.call(j -> {
            var p = j.pipelined();
            p.set("sb:alive:" + node, "1", SetParams.setParams().px(ttl.toMillis()));
            Response<Long> added = p.hset(NODES, node, startedAt.toEpochMilli() + " " + connections);
            p.sync();
            return added.get() == 0;
        });
    }

    @Override
    public List<NodeInfo> liveNodes() {
        return redis.call(j -> {
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
                live.add(new NodeInfo(ids.get(i), Integer.parseInt(value[1]), Instant.ofEpochMilli(Long.parseLong(value[0]))));
            }
            live.sort(java.util.Comparator.comparing(NodeInfo::id));
            return live;
        });
    }

    @Override
    public List<String> deadNodes() {
        return redis.call(j -> {
            List<String> ids = new ArrayList<>(j.hkeys(NODES));
            var p = j.pipelined();
            List<Response<Boolean>> alive = new ArrayList<>();
            for (String id : ids) alive.add(p.exists("sb:alive:" + id));
            p.sync();
            List<String> dead = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) if (!alive.get(i).get()) dead.add(ids.get(i));
            return dead;
        });
    }

    @Override
    public boolean tryLockReaping(String owner, Duration ttl) {
        return "OK".equals(redis.call(j -> j.set(REAPER_LOCK, owner, SetParams.setParams().nx().px(ttl.toMillis()))));
    }

    @Override
    public void unlockReaping(String owner) {
        redis.eval(UNLOCK, List.of(REAPER_LOCK), List.of(owner));
    }

    @Override
    public Set<UserId> reapNode(String node) {
        Set<UserId> offline = new HashSet<>();
        for (String entry : redis.call(j -> j.smembers(nodeSockets(node)))) {
            String[] userAndSocket = entry.split(" ");
            if (disconnect(userAndSocket[0], userAndSocket[1], node)) offline.add(new UserId(userAndSocket[0]));
        }
        redis.call(j -> {
            j.del(nodeSockets(node));
            return j.hdel(NODES, node);
        });
        return offline;
    }

    private static String sockets(UserId user) {
        return "sb:p:sockets:" + user.value();
    }

    private static String status(String user) {
        return "sb:p:status:" + user;
    }

    private static String nodeSockets(String node) {
        return "sb:node:" + node + ":sockets";
    }

    private static boolean one(Object result) {
        return result instanceof Long n && n == 1L;
    }
}
