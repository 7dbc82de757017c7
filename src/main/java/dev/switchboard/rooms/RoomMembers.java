package dev.switchboard.rooms;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import java.util.List;
import java.util.Set;

/** Port: who is in which room, counted per socket so that first-join and last-leave are exact. */
public interface RoomMembers extends AutoCloseable {
    /**
     * @return true when this is the user's first socket in the room (so {@code member_joined} is
     *     due)
     */
    boolean join(RoomName room, UserId user, String socketId);

    /**
     * @return true when this was the user's last socket in the room (so {@code member_left} is due)
     */
    boolean leave(RoomName room, UserId user, String socketId);

    Set<UserId> members(RoomName room);

    /** Rooms the user is in through any socket. */
    Set<RoomName> roomsOf(UserId user);

    /** Number of rooms that have at least one member. */
    int roomCount();

    /**
     * Removes every membership of a dead node's sockets; @return who lost their last socket in
     * which room.
     */
    List<RoomUser> reapNode(String nodeId);

    /** A user in a room. */
    record RoomUser(RoomName room, UserId user) {}

    @Override
    default void close() {}
}
