package dev.switchboard.history;

import dev.switchboard.cluster.ClusterConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Builds the seq counter for this node's mode: Redis in a cluster, in-memory otherwise. */
@ApplicationScoped
class SeqCounterProducer {
    @Inject ClusterConnections connections;

    @Produces
    @ApplicationScoped
    SeqCounter seqCounter() {
        return connections
                .redis()
                .<SeqCounter>map(RedisSeqCounter::new)
                .orElseGet(InMemorySeqCounter::new);
    }

    void close(@Disposes SeqCounter counter) {
        counter.close();
    }
}
