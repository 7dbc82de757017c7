package dev.switchboard.it;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Switchboard nodes in cluster mode on the local PostgreSQL (a fresh database), Redis and RabbitMQ,
 * started together once per test JVM. Node ids are unique per run, so nodes of an earlier run that
 * died are simply reaped. The run has a RabbitMQ virtual host and a Redis database of its own, so
 * another cluster on this machine (a benchmark, a second checkout's tests) never consumes its
 * queues or shows up among its nodes.
 *
 * <p>Nodes 1 and 2 commit their batches in PostgreSQL first (the default); node 3 makes them
 * durable through the broker journal ({@code cluster-journal=broker}), so every cluster test runs
 * both pipelines, and a batch of one node's journal may be stored by another node's persister.
 */
public final class TestCluster {
    public static final int NODE_TIMEOUT_SECONDS = 6;
    public static final int CHAT_RATE = 600;

    private static List<SwitchboardNode> nodes;
    private static RuntimeException startFailure;
    private static String database;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String VHOST = "switchboard-it-" + RUN;

    /** 1..14: database 0 is the default others use, 15 is the benchmark's. */
    private static final int REDIS_DB = 1 + new java.util.Random().nextInt(14);

    private TestCluster() {}

    /** The three shared nodes. */
    public static synchronized List<SwitchboardNode> nodes() {
        // a cluster that failed to start is not started again: a second set of nodes with the same
        // ids would share their queues with the first
        if (startFailure != null) throw startFailure;
        if (nodes == null) {
            database = TestNodes.freshDatabase();
            Services.createVhost(VHOST);
            List<SwitchboardNode> created = new ArrayList<>();
            for (int i = 1; i <= 3; i++)
                created.add(node("c" + RUN + "-" + i, i == 3 ? "broker" : "store-first"));
            try {
                // start together: each start is mostly waiting on its own JVM
                CompletableFuture.allOf(
                                created.stream()
                                        .map(n -> CompletableFuture.runAsync(n::start))
                                        .toArray(CompletableFuture[]::new))
                        .join();
            } catch (RuntimeException e) {
                created.forEach(SwitchboardNode::kill);
                startFailure = e;
                throw e;
            }
            nodes = List.copyOf(created);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        nodes.forEach(SwitchboardNode::stop);
                                        try {
                                            Services.deleteVhost(VHOST);
                                        } catch (AssertionError e) {
                                            System.err.println(
                                                    "RabbitMQ vhost "
                                                            + VHOST
                                                            + " not deleted: "
                                                            + e.getMessage());
                                        }
                                    }));
        }
        return nodes;
    }

    /** The run's Redis, for tests that look at keys. */
    public static String redisUri() {
        return "redis://127.0.0.1:6379/" + REDIS_DB;
    }

    /** Another Redis database than the cluster's (1..14), for a node that must not join it. */
    public static String separateRedisUri() {
        return "redis://127.0.0.1:6379/" + (REDIS_DB % 14 + 1);
    }

    /** The cluster's PostgreSQL database. */
    public static String database() {
        nodes();
        return database;
    }

    public static SwitchboardNode node(int index) {
        return nodes().get(index);
    }

    /** One more node of the same cluster, not started, for tests that kill a node. */
    public static SwitchboardNode extraNode(String suffix) {
        nodes();
        return node("c" + RUN + "-" + suffix, "store-first");
    }

    private static SwitchboardNode node(String id, String journal) {
        Map<String, String> env = TestNodes.postgresSettings(database);
        env.put("SWITCHBOARD_HISTORY_CLUSTER_JOURNAL", journal);
        env.put("SWITCHBOARD_NODE_ID", id);
        env.put("SWITCHBOARD_REDIS_URI", redisUri());
        env.put("SWITCHBOARD_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/" + VHOST);
        env.put("SWITCHBOARD_PRESENCE_NODE_TIMEOUT", String.valueOf(NODE_TIMEOUT_SECONDS));
        env.put("SWITCHBOARD_CHAT_RATE", String.valueOf(CHAT_RATE));
        env.put("SWITCHBOARD_AUTH_DEV_TOKENS", "true");
        return SwitchboardNode.create(id, env);
    }

    public static Set<String> storedIds(String room) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (var c =
                        DriverManager.getConnection(
                                "jdbc:postgresql://" + TestNodes.PG_HOST + "/" + database(),
                                "postgres",
                                "postgres");
                var s = c.prepareStatement("SELECT id FROM room_message WHERE room = ?")) {
            s.setString(1, room);
            try (var rs = s.executeQuery()) {
                while (rs.next()) stored.add(rs.getString(1));
            }
        }
        return stored;
    }

    /**
     * Waits (bounded) until the cluster's store holds every one of the acked messages of the room.
     */
    public static void awaitStored(String room, Set<String> acked) {
        // polling the database: the persisters give no event to wait on
        Poll.until(
                Duration.ofSeconds(30),
                Duration.ofMillis(250),
                () -> storedIds(room),
                stored -> stored.containsAll(acked),
                stored -> {
                    Set<String> missing = new HashSet<>(acked);
                    if (stored != null) missing.removeAll(stored);
                    return missing.size()
                            + " of "
                            + acked.size()
                            + " acked messages not stored within 30 s";
                });
    }
}
