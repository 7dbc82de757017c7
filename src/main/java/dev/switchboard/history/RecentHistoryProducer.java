package dev.switchboard.history;

import dev.switchboard.cluster.ClusterConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Builds the recent-history cache for this node's mode: Redis in a cluster, in-memory otherwise.
 */
@ApplicationScoped
class RecentHistoryProducer {
    /** Rooms a standalone node keeps recent messages for; the least recently used go first. */
    private static final int IN_MEMORY_ROOMS = 1000;

    @Inject ClusterConnections connections;
    @Inject HistorySettings settings;

    @Produces
    @ApplicationScoped
    RecentHistory recentHistory() {
        return connections
                .redis()
                .<RecentHistory>map(redis -> new RedisRecentHistory(redis, settings.recentSize()))
                .orElseGet(() -> new InMemoryRecentHistory(settings.recentSize(), IN_MEMORY_ROOMS));
    }

    void close(@Disposes RecentHistory recent) {
        recent.close();
    }
}
