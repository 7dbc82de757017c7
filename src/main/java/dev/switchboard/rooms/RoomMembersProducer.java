package dev.switchboard.rooms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Builds the membership store for this node's mode. */
@ApplicationScoped
class RoomMembersProducer {
    @Produces
    @ApplicationScoped
    RoomMembers roomMembers() {
        // TODO(#4): a Redis-backed RoomMembers when switchboard.redis.uri is set.
        return new InMemoryRoomMembers();
    }

    void close(@Disposes RoomMembers members) {
        members.close();
    }
}
