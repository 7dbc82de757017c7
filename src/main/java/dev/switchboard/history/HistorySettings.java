package dev.switchboard.history;

import static dev.switchboard.node.SettingCheck.require;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the history feature, checked once at start. */
@ApplicationScoped
public class HistorySettings {
    public static final int MAX_PAGE = 100;

    @Inject
    @ConfigProperty(name = "switchboard.history.on-join", defaultValue = "50")
    int onJoin;

    @Inject
    @ConfigProperty(name = "switchboard.history.recover-max", defaultValue = "1000")
    int recoverMax;

    @Inject
    @ConfigProperty(name = "switchboard.history.recent-size", defaultValue = "100")
    int recentSize;

    @Inject
    @ConfigProperty(name = "switchboard.history.batch-size", defaultValue = "500")
    int batchSize;

    @Inject
    @ConfigProperty(name = "switchboard.history.queue-capacity", defaultValue = "20000")
    int queueCapacity;

    @Inject
    @ConfigProperty(name = "switchboard.history.persist-tries", defaultValue = "3")
    int persistTries;

    @Inject
    @ConfigProperty(name = "switchboard.history.cluster-journal", defaultValue = "store-first")
    String clusterJournal;

    /**
     * Where a cluster node makes a batch durable before acking it; see {@link StoreFirstJournal}.
     */
    enum ClusterJournal {
        STORE_FIRST,
        BROKER
    }

    @PostConstruct
    void check() {
        require(
                onJoin >= 0 && onJoin <= 1000,
                "switchboard.history.on-join must be 0..1000, is " + onJoin);
        require(
                recoverMax >= 1 && recoverMax <= 100_000,
                "switchboard.history.recover-max must be 1..100000, is " + recoverMax);
        require(
                recentSize >= 0 && recentSize <= 10_000,
                "switchboard.history.recent-size must be 0..10000, is " + recentSize);
        require(
                batchSize >= 1 && batchSize <= 10_000,
                "switchboard.history.batch-size must be 1..10000, is " + batchSize);
        require(
                persistTries >= 1 && persistTries <= 10,
                "switchboard.history.persist-tries must be 1..10, is " + persistTries);
        require(
                clusterJournal.equals("store-first") || clusterJournal.equals("broker"),
                "switchboard.history.cluster-journal must be store-first or broker, is "
                        + clusterJournal);
        require(
                queueCapacity >= batchSize,
                "switchboard.history.queue-capacity must be >= batch-size, is " + queueCapacity);
    }

    public int onJoin() {
        return onJoin;
    }

    public int recoverMax() {
        return recoverMax;
    }

    int recentSize() {
        return recentSize;
    }

    int batchSize() {
        return batchSize;
    }

    int queueCapacity() {
        return queueCapacity;
    }

    int persistTries() {
        return persistTries;
    }

    ClusterJournal clusterJournal() {
        return clusterJournal.equals("broker") ? ClusterJournal.BROKER : ClusterJournal.STORE_FIRST;
    }
}
