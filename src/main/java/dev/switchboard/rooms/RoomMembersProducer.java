package dev.switchboard.rooms;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Builds the membership store for this node's mode: Redis in a cluster, in-memory otherwise. */
@ApplicationScoped
class RoomMembersProducer {
    @Inject ClusterConnections connections;
    @Inject NodeIdentity node;

    @Produces
    @ApplicationScoped
    RoomMembers roomMembers() {
        return connections
                .redis()
                .<RoomMembers>map(redis -> new RedisRoomMembers(redis, node.id()))
                .orElseGet(InMemoryRoomMembers::new);
    }

    void close(@Disposes RoomMembers members) {
        members.close();
    }
}
