package dev.switchboard.presence;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Builds the presence store for this node's mode: Redis in a cluster, in-memory otherwise. */
@ApplicationScoped
class PresenceStoreProducer {
    @Inject ClusterConnections connections;
    @Inject NodeIdentity node;

    @Produces
    @ApplicationScoped
    PresenceStore presenceStore() {
        return connections
                .redis()
                .<PresenceStore>map(redis -> new RedisPresenceStore(redis, node.id()))
                .orElseGet(InMemoryPresenceStore::new);
    }

    void close(@Disposes PresenceStore store) {
        store.close();
    }
}
