package dev.switchboard.presence;

import dev.switchboard.UserId;

/** Port: per-user presence, counted per socket so that first-connect and last-disconnect are exact. */
public interface PresenceStore extends AutoCloseable {
    /** @return true when this is the user's first socket (the user just came online) */
    boolean connect(UserId user, String socketId);

    /** @return true when this was the user's last socket (the user is now offline) */
    boolean disconnect(UserId user, String socketId);

    /** Sets the status of an online user; ignored for a user with no socket. */
    void setStatus(UserId user, Status status);

    Status status(UserId user);

    /** Distinct users online. */
    int onlineUsers();

    @Override
    default void close() {
    }
}
