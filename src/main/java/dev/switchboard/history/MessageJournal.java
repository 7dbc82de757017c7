package dev.switchboard.history;

import java.util.List;

/**
 * Port: where an accepted batch becomes durable before its messages are acked and delivered.
 * Standalone: committed in the store. Cluster: a persistent message on a durable RabbitMQ queue,
 * confirmed by the broker, which the {@link Persister}s of all nodes then store.
 */
public interface MessageJournal extends AutoCloseable {
    /** Makes the whole batch durable, or throws: then none of it may be acked. */
    void write(List<RoomMessage> roomMessages, List<DirectMessage> directMessages);

    /**
     * Whether the journal itself answers now: a batch that failed while it does holds a bad
     * message.
     */
    default boolean available() {
        return true;
    }

    @Override
    default void close() {}
}
