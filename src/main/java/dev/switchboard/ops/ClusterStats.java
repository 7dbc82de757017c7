package dev.switchboard.ops;

import dev.switchboard.JsonCodec;
import dev.switchboard.chat.ChatService;
import dev.switchboard.history.Persister;
import dev.switchboard.node.Counters;
import dev.switchboard.node.NodeIdentity;
import dev.switchboard.presence.NodeInfo;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.RoomMembers;
import dev.switchboard.routing.Bus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The figures of {@code /stats}. On a standalone node the cluster is this node. The cluster-wide
 * ones (Redis, broker) are at most a second old, so a flood of requests costs one read a second;
 * this node's own counters are exact.
 */
@ApplicationScoped
public class ClusterStats {
    static final Duration CLUSTER_FIGURES_MAX_AGE = Duration.ofSeconds(1);

    @Inject NodeIdentity node;
    @Inject Counters counters;
    @Inject PresenceStore presence;
    @Inject RoomMembers members;
    @Inject ChatService chat;
    @Inject Bus bus;
    @Inject Persister persister;
    private final RecentValue<ClusterFigures> figures =
            new RecentValue<>(CLUSTER_FIGURES_MAX_AGE, this::readClusterFigures);

    private record ClusterFigures(
            List<NodeInfo> liveNodes, int onlineUsers, int rooms, Map<String, Long> queueDepths) {}

    private ClusterFigures readClusterFigures() {
        return new ClusterFigures(
                List.copyOf(presence.liveNodes()),
                presence.onlineUsers(),
                members.roomCount(),
                persister.queueDepths());
    }

    public JsonObject snapshot() {
        ClusterFigures cluster = figures.get();
        int connections = chat.connections();
        var nodes = JsonCodec.arrayBuilder();
        int clusterConnections = 0;
        boolean selfListed = false;
        for (NodeInfo info : cluster.liveNodes()) {
            // this node's own count is exact; the others' are as of their last heartbeat
            boolean self = info.id().equals(node.id());
            int count = self ? connections : info.connections();
            selfListed |= self;
            clusterConnections += count;
            nodes.add(node(info.id(), count, info.startedAt()));
        }
        if (!selfListed) {
            clusterConnections += connections;
            nodes.add(node(node.id(), connections, node.startedAt()));
        }
        return JsonCodec.objectBuilder()
                .add("node", node.id())
                .add("onlineUsers", cluster.onlineUsers())
                .add("connections", connections)
                .add("clusterConnections", clusterConnections)
                .add("nodes", nodes)
                .add("rooms", cluster.rooms())
                .add(
                        "messages",
                        JsonCodec.objectBuilder()
                                .add("accepted", counters.acceptedCount())
                                .add("delivered", counters.deliveredCount())
                                .add("persisted", counters.persistedCount())
                                .add("persistBatches", counters.batchCount()))
                .add("rateLimited", counters.rateLimitedCount())
                // cluster pipeline: messages the broker holds for the persisters, and those that
                // failed every try
                .add("persistQueue", depths(cluster.queueDepths()))
                // frames this node received from other nodes: stays flat for rooms it has no socket
                // in
                .add(
                        "routing",
                        JsonCodec.objectBuilder()
                                .add("receivedFromOtherNodes", bus.receivedFromOtherNodes()))
                .build();
    }

    private static JsonObjectBuilder depths(Map<String, Long> queueDepths) {
        var depths = JsonCodec.objectBuilder();
        queueDepths.forEach(depths::add);
        return depths;
    }

    private static JsonObjectBuilder node(String id, int connections, Instant startedAt) {
        return JsonCodec.objectBuilder()
                .add("id", id)
                .add("connections", connections)
                .add("startedAt", startedAt.toString());
    }
}
