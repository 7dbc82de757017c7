package dev.switchboard.ops;

import dev.switchboard.JsonCodec;
import dev.switchboard.chat.ChatService;
import dev.switchboard.history.Persister;
import dev.switchboard.presence.NodeInfo;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.routing.Bus;
import dev.switchboard.rooms.RoomMembers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;

/** The figures of {@code /stats}. On a standalone node the cluster is this node. */
@ApplicationScoped
public class ClusterStats {
    @Inject NodeIdentity node;
    @Inject Counters counters;
    @Inject PresenceStore presence;
    @Inject RoomMembers members;
    @Inject ChatService chat;
    @Inject Bus bus;
    @Inject Persister persister;

    public JsonObject snapshot() {
        int connections = chat.connections();
        var nodes = JsonCodec.arrayBuilder();
        int clusterConnections = 0;
        boolean selfListed = false;
        for (NodeInfo info : presence.liveNodes()) {
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
                .add("onlineUsers", presence.onlineUsers())
                .add("connections", connections)
                .add("clusterConnections", clusterConnections)
                .add("nodes", nodes)
                .add("rooms", members.roomCount())
                .add("messages", JsonCodec.objectBuilder()
                        .add("accepted", counters.acceptedCount())
                        .add("delivered", counters.deliveredCount())
                        .add("persisted", counters.persistedCount())
                        .add("persistBatches", counters.batchCount()))
                .add("rateLimited", counters.rateLimitedCount())
                // cluster pipeline: messages the broker holds for the persisters, and those that failed every try
                .add("persistQueue", depths())
                // frames this node received from other nodes: stays flat for rooms it has no socket in
                .add("routing", JsonCodec.objectBuilder().add("receivedFromOtherNodes", bus.receivedFromOtherNodes()))
                .build();
    }

    private JsonObjectBuilder depths() {
        var depths = JsonCodec.objectBuilder();
        persister.queueDepths().forEach(depths::add);
        return depths;
    }

    private static JsonObjectBuilder node(String id, int connections, Instant startedAt) {
        return JsonCodec.objectBuilder().add("id", id).add("connections", connections).add("startedAt", startedAt.toString());
    }
}
