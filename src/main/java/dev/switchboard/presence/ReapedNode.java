package dev.switchboard.presence;

import dev.switchboard.UserId;
import dev.switchboard.rooms.RoomMembers.RoomUser;
import java.util.List;
import java.util.Set;

/**
 * A dead node's sockets, removed: who went offline and who lost their last socket in which room.
 * Fired as a CDI event once per reaped node, so chat can tell the rooms ({@code presence}, {@code
 * member_left}).
 */
public record ReapedNode(String node, Set<UserId> usersWentOffline, List<RoomUser> roomsLeft) {
    public ReapedNode {
        usersWentOffline = Set.copyOf(usersWentOffline);
        roomsLeft = List.copyOf(roomsLeft);
    }
}
