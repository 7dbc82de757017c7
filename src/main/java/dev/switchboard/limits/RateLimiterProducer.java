package dev.switchboard.limits;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Builds the rate limiter for this node's mode. */
@ApplicationScoped
class RateLimiterProducer {
    /** Longest window any caller uses (orders: one minute); idle logs older than that are swept. */
    private static final Duration LONGEST_WINDOW = Duration.ofMinutes(1);

    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-ratelimit-sweeper");
        t.setDaemon(true);
        return t;
    });

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter() {
        // TODO(#4): a Redis script limiter counted across nodes when switchboard.redis.uri is set.
        var limiter = new InMemoryRateLimiter(Clock.systemUTC());
        sweeper.scheduleWithFixedDelay(() -> limiter.sweep(LONGEST_WINDOW), 1, 1, TimeUnit.MINUTES);
        return limiter;
    }

    void close(@Disposes RateLimiter limiter) {
        limiter.close();
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }
}
