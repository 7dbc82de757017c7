package dev.switchboard.auth;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import java.time.Instant;
import java.util.Set;

/**
 * The user a verified token speaks for.
 *
 * @param allowedRooms the token's {@code rooms} claim, or {@code null} when the claim is absent
 *     (any room)
 */
public record AuthenticatedUser(
        UserId id, String name, Set<RoomName> allowedRooms, Instant expiresAt) {
    public boolean mayJoin(RoomName room) {
        return allowedRooms == null || allowedRooms.contains(room);
    }

    /** The same rule for a request that must stop here: {@code forbidden}, naming the room. */
    public void requireRoom(RoomName room) {
        if (!mayJoin(room))
            throw new SwitchboardException(
                    ErrorCode.FORBIDDEN, "the token does not allow room " + room);
    }
}
