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

    /**
     * This node now holds a socket in the room (called for its first local socket there). The
     * change is ordered with the others at once, without waiting, so a caller may ask for it under
     * a lock; it waits, outside the lock, on what this returns.
     */
    default Applied watchRoom(String room) {
        return Applied.NOW;
    }

    /** This node no longer holds any socket in the room. Nobody waits for it. */
    default void unwatchRoom(String room) {}

    default Applied watchUser(String user) {
        return Applied.NOW;
    }

    default void unwatchUser(String user) {}

    /**
     * A binding asked for: {@link #await} returns once it is in place, or has failed (logged;
     * re-applied when the bus recovers).
     */
    interface Applied {
        Applied NOW = () -> {};

        void await();
    }

    /** Frames this node received from other nodes (none on a standalone node). */
    default long receivedFromOtherNodes() {
        return 0;
    }

    default boolean healthy() {
        return true;
    }

    @Override
    default void close() {}
}
