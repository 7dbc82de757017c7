package dev.switchboard.cluster;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The node's Redis pool. Every adapter borrows a connection for one command, pipeline or script and
 * gives it back at once. Scripts are sent by SHA after the first call.
 */
public final class Redis implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Redis.class.getName());

    /** Redis restarts in about a second here; the pool reconnects on the next call. */
    private static final long RETRY_AFTER_MS = 1000;

    private final JedisPool pool;
    private final String where;
    private final DependencyLog failures;

    private Redis(JedisPool pool, String where) {
        this.pool = pool;
        this.where = where;
        this.failures = new DependencyLog(LOG, "Redis at " + where);
    }

    /** Connects and pings, so a wrong URI fails at start with the setting's name. */
    static Redis connect(String uri) {
        URI parsed = URI.create(uri);
        var config = new JedisPoolConfig();
        config.setMaxTotal(64);
        config.setMaxIdle(16);
        config.setMinIdle(2);
        config.setMaxWait(Duration.ofSeconds(2));
        config.setTestWhileIdle(true);
        var pool = new JedisPool(config, parsed, 2000);
        var redis = new Redis(pool, parsed.getHost() + ":" + parsed.getPort());
        try (Jedis jedis = pool.getResource()) {
            jedis.ping(); // not through call: the start's message names the cause
        } catch (JedisException e) {
            pool.close();
            throw new IllegalStateException(
                    "switchboard.redis.uri: cannot reach Redis at "
                            + redis.where
                            + " ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        return redis;
    }

    /**
     * Runs work on a pooled connection.
     *
     * @throws SwitchboardException {@code unavailable} when Redis cannot be reached or no
     *     connection is free within the pool's wait: the caller's client may try again
     */
    public <T> T call(Function<Jedis, T> work) {
        try (Jedis jedis = pool.getResource()) {
            T result = work.apply(jedis);
            failures.answered();
            return result;
        } catch (JedisConnectionException e) {
            // One broken connection mostly means every idle one is (Redis restarted, or the network
            // dropped them): drop them now, so that the next calls connect afresh instead of each
            // failing on one of them until the pool's idle test gets to it. The broken one itself
            // is destroyed as it is given back.
            pool.clear();
            throw unavailable(e);
        } catch (JedisException e) {
            if (e.getCause() instanceof NoSuchElementException)
                throw unavailable(e); // pool exhausted
            throw e;
        }
    }

    private SwitchboardException unavailable(JedisException cause) {
        failures.failed(cause);
        return new SwitchboardException(
                ErrorCode.UNAVAILABLE,
                "the cluster state is unavailable; try again",
                RETRY_AFTER_MS);
    }

    public Object eval(Script script, List<String> keys, List<String> args) {
        return call(jedis -> script.run(jedis, keys, args));
    }

    @Override
    public void close() {
        pool.close();
    }
}
