package dev.switchboard.presence;

import dev.switchboard.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Port: per-user presence across the deployment, counted per socket so that first-connect and
 * last-disconnect are exact, and the registry of live nodes whose heartbeats keep their sockets.
 */
public interface PresenceStore extends AutoCloseable {
    /**
     * Adds the socket and counts the user's sockets in the same atomic step, so the count is exact
     * across nodes (the per-user socket limit relies on it).
     *
     * @return the user's sockets on all nodes after the add: 1 when the user just came online
     */
    int connect(UserId user, String socketId);

    /**
     * The user's open sockets, all nodes together: a read for a cheap early refusal, not the exact
     * count {@link #connect} gives.
     */
    int sockets(UserId user);

    /**
     * @return true when this was the user's last socket (the user is now offline)
     */
    boolean disconnect(UserId user, String socketId);

    /** Sets the status of an online user; ignored for a user with no socket. */
    void setStatus(UserId user, Status status);

    Status status(UserId user);

    /** Distinct users online. */
    int onlineUsers();

    /**
     * Renews this node's heartbeat for {@code ttl}.
     *
     * @return false when the registry did not know this node: on the first beat, or after the
     *     registry lost its state (a Redis restart), when the node must register its sockets again
     */
    boolean heartbeat(String nodeId, Instant startedAt, int connections, Duration ttl);

    List<NodeInfo> liveNodes();

    /** Nodes still registered whose heartbeat has expired. */
    List<String> deadNodes();

    /**
     * Only one node reaps at a time: true when {@code owner} now holds the reaping lock for {@code
     * ttl}.
     */
    boolean tryLockReaping(String owner, Duration ttl);

    void unlockReaping(String owner);

    /**
     * Disconnects every socket of a dead node and forgets the node; @return the users who went
     * offline.
     */
    Set<UserId> reapNode(String nodeId);

    @Override
    default void close() {}
}
