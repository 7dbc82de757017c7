package dev.switchboard.presence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Builds the presence store for this node's mode. */
@ApplicationScoped
class PresenceStoreProducer {
    @Produces
    @ApplicationScoped
    PresenceStore presenceStore() {
        // TODO(#4): a Redis-backed store with node heartbeats when switchboard.redis.uri is set.
        return new InMemoryPresenceStore();
    }

    void close(@Disposes PresenceStore store) {
        store.close();
    }
}
