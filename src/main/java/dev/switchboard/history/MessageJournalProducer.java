package dev.switchboard.history;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.node.Counters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Builds the journal for this node's mode: the store standalone; in a cluster the store first with
 * the broker behind it, or the broker alone ({@code switchboard.history.cluster-journal=broker}).
 */
@ApplicationScoped
class MessageJournalProducer {
    @Inject ClusterConnections connections;
    @Inject MessageStore store;
    @Inject Counters counters;
    @Inject HistorySettings settings;

    @Produces
    @ApplicationScoped
    MessageJournal journal() {
        if (connections.rabbit().isEmpty()) return new StoreJournal(store, counters);
        var broker = new BrokerJournal(connections.rabbit().get(), settings.persistTries());
        return settings.clusterJournal() == HistorySettings.ClusterJournal.BROKER
                ? broker
                : new StoreFirstJournal(store, broker, counters);
    }

    void close(@Disposes MessageJournal journal) {
        journal.close();
    }
}
