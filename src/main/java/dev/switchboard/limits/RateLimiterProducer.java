package dev.switchboard.limits;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.node.NodeIdentity;
import dev.switchboard.node.WorkerPools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the rate limiter for this node's mode: Redis in a cluster (counted across nodes),
 * in-memory otherwise.
 */
@ApplicationScoped
class RateLimiterProducer {
    /**
     * Longest window any caller uses (orders: one minute); idle in-memory logs older than that are
     * swept.
     */
    private static final Duration LONGEST_WINDOW = Duration.ofMinutes(1);

    @Inject ClusterConnections connections;
    @Inject NodeIdentity node;

    @Inject WorkerPools pools;

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter() {
        if (connections.redis().isPresent())
            return new RedisRateLimiter(connections.redis().get(), node.id());
        var limiter = new InMemoryRateLimiter(Clock.systemUTC());
        pools.timers()
                .scheduleWithFixedDelay(
                        () -> limiter.sweep(LONGEST_WINDOW), 1, 1, TimeUnit.MINUTES);
        return limiter;
    }

    void close(@Disposes RateLimiter limiter) {
        limiter.close();
    }
}
