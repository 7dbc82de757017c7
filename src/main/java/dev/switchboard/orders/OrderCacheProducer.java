package dev.switchboard.orders;

import dev.switchboard.cluster.ClusterConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;

/** Builds the order cache for this node's mode: Redis in a cluster, in-memory otherwise. */
@ApplicationScoped
class OrderCacheProducer {
    private static final int IN_MEMORY_CAPACITY = 10_000;

    @Inject ClusterConnections connections;
    @Inject OrderSettings settings;

    @Produces
    @ApplicationScoped
    OrderCache orderCache() {
        return connections
                .redis()
                .<OrderCache>map(redis -> new RedisOrderCache(redis, settings.cacheTtl()))
                .orElseGet(
                        () ->
                                new InMemoryOrderCache(
                                        Clock.systemUTC(),
                                        settings.cacheTtl(),
                                        IN_MEMORY_CAPACITY));
    }

    void close(@Disposes OrderCache cache) {
        cache.close();
    }
}
