package dev.switchboard.orders;

import dev.switchboard.SwitchboardException;
import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The cluster's order cache: hash {@code sb:order:<id>} with fields {@code v} (version), {@code u}
 * (owner) and {@code j} (JSON), expiring after the TTL. A failing Redis reads as a miss: the
 * database answers instead ({@link Redis#call} reports it down as {@code unavailable}). Its script
 * has one key, so it runs on Redis Cluster as it is.
 */
class RedisOrderCache implements OrderCache {
    private static final Logger LOG = Logger.getLogger(RedisOrderCache.class.getName());
    private static final Script PUT_IF_NEWER =
            new Script(
                    """
            local v = redis.call('HGET', KEYS[1], 'v')
            if v and tonumber(v) >= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'v', ARGV[1], 'u', ARGV[2], 'j', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """);

    private final Redis redis;
    private final Duration ttl;

    RedisOrderCache(Redis redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Optional<CachedOrder> get(String orderId) {
        try {
            List<String> fields = redis.call(jedis -> jedis.hmget(key(orderId), "u", "j"));
            if (fields.get(0) == null || fields.get(1) == null) return Optional.empty();
            return Optional.of(new CachedOrder(fields.get(0), fields.get(1)));
        } catch (JedisException | SwitchboardException e) {
            LOG.fine("order cache read failed, reading the database: " + e);
            return Optional.empty();
        }
    }

    @Override
    public void putIfNewer(Order order) {
        try {
            redis.eval(
                    PUT_IF_NEWER,
                    List.of(key(order.id())),
                    List.of(
                            Long.toString(order.version()),
                            order.userId().value(),
                            order.toJson().toString(),
                            Long.toString(ttl.toMillis())));
        } catch (JedisException | SwitchboardException e) {
            // an entry that missed this change is older than the database; drop it rather than
            // serve it
            LOG.warning("order cache not updated for " + order.id() + ": " + e);
            try {
                redis.call(jedis -> jedis.del(key(order.id())));
            } catch (JedisException | SwitchboardException ignored) {
                // Redis is down: nothing is served from it either
            }
        }
    }

    private static String key(String orderId) {
        return "sb:order:" + orderId;
    }
}
