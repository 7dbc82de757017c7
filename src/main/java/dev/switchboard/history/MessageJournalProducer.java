package dev.switchboard.history;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.ops.Counters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Builds the journal for this node's mode: the broker in a cluster, the store otherwise. */
@ApplicationScoped
class MessageJournalProducer {
    @Inject ClusterConnections connections;
    @Inject MessageStore store;
    @Inject Counters counters;

    @Produces
    @ApplicationScoped
    MessageJournal journal() {
        return connections.rabbit().<MessageJournal>map(BrokerJournal::new).orElseGet(() -> new StoreJournal(store, counters));
    }

    void close(@Disposes MessageJournal journal) {
        journal.close();
    }
}
