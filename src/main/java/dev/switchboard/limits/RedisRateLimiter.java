package dev.switchboard.limits;

import dev.switchboard.cluster.Redis;
import dev.switchboard.cluster.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sliding log of {@link InMemoryRateLimiter}, counted for all nodes together: one sorted set
 * {@code sb:rate:<key>} of event times, trimmed and checked in one script on Redis's own clock, so
 * nodes with skewed clocks still agree. The script has one key, so it runs on Redis Cluster as it
 * is.
 */
public class RedisRateLimiter implements RateLimiter {
    private static final Script ACQUIRE =
            new Script(
                    """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local limit = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            if redis.call('ZCARD', KEYS[1]) >= limit then
              local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              return math.max(1, tonumber(oldest[2]) + window - now)
            end
            redis.call('ZADD', KEYS[1], now, ARGV[3])
            redis.call('PEXPIRE', KEYS[1], window)
            return 0""");

    private final Redis redis;
    private final String nodeId;
    private final AtomicLong events = new AtomicLong();

    public RedisRateLimiter(Redis redis, String nodeId) {
        this.redis = redis;
        this.nodeId = nodeId;
    }

    @Override
    public long tryAcquire(String key, int limit, Duration window) {
        if (limit <= 0) return 0;
        // the member must be unique per event, or two events in one millisecond count once
        String member = nodeId + ":" + events.incrementAndGet();
        Object result =
                redis.eval(
                        ACQUIRE,
                        List.of("sb:rate:" + key),
                        List.of(String.valueOf(limit), String.valueOf(window.toMillis()), member));
        return result instanceof Long n ? n : 0;
    }
}
