package dev.switchboard.routing;

/**
 * Port: delivers envelopes to the nodes that hold sockets for their room or user. A node says which
 * rooms and users it holds sockets for, so that a networked bus sends it nothing else. Each frame
 * for this node goes to the {@link LocalDelivery} the bus was made with.
 */
public interface Bus extends AutoCloseable {
    void publish(Envelope envelope);

    /**
     * Publishes accepted messages, in order, and waits until the bus has them.
     *
     * @return false when other nodes may not have received them (they will recover from the store)
     */
    default boolean publishConfirmed(java.util.List<Envelope> envelopes) {
        envelopes.forEach(this::publish);
        return true;
    }

    /** This node now holds a socket in the room (called for its first local socket there). */
    default void watchRoom(String room) {
    }

    /** This node no longer holds any socket in the room. */
    default void unwatchRoom(String room) {
    }

    default void watchUser(String user) {
    }

    default void unwatchUser(String user) {
    }

    /** Frames this node received from other nodes (none on a standalone node). */
    default long receivedFromOtherNodes() {
        return 0;
    }

    default boolean healthy() {
        return true;
    }

    @Override
    default void close() {
    }
}
