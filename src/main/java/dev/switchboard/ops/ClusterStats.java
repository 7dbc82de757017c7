package dev.switchboard.ops;

import dev.switchboard.chat.ChatService;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.RoomMembers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/** The figures of {@code /stats}. On a standalone node the cluster is this node. */
@ApplicationScoped
public class ClusterStats {
    @Inject NodeIdentity node;
    @Inject Counters counters;
    @Inject PresenceStore presence;
    @Inject RoomMembers members;
    @Inject ChatService chat;

    public JsonObject snapshot() {
        int connections = chat.connections();
        return Json.createObjectBuilder()
                .add("node", node.id())
                .add("onlineUsers", presence.onlineUsers())
                .add("connections", connections)
                .add("clusterConnections", connections)
                .add("nodes", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("id", node.id())
                        .add("connections", connections)
                        .add("startedAt", node.startedAt().toString())))
                .add("rooms", members.roomCount())
                .add("messages", Json.createObjectBuilder()
                        .add("accepted", counters.acceptedCount())
                        .add("delivered", counters.deliveredCount())
                        .add("persisted", counters.persistedCount())
                        .add("persistBatches", counters.batchCount()))
                .add("rateLimited", counters.rateLimitedCount())
                .build();
    }
}
