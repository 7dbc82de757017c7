package dev.switchboard.orders;

import java.util.List;

/**
 * Port: where order events go and who consumes them. Each published event reaches the notifications
 * once and in order; each {@code order.created} reaches one processor, which is retried with
 * exponential backoff and, when its tries are spent, given up and dead-lettered.
 */
public interface OrderEvents extends AutoCloseable {
    /** Publishes events in order; returns once they are durable (broker confirm), else throws. */
    void publish(List<OrderEvent> events);

    /** Starts consuming; called once. */
    void start(Handlers handlers);

    /** Messages that spent every try, waiting for inspection or replay. */
    long deadLetters();

    /**
     * Hands {@code order.created} events of orders still pending after a restart to the processor
     * again. Only an in-process queue needs it (a broker kept them), so only it reads them.
     */
    default void resume(java.util.function.Supplier<List<OrderEvent>> pendingCreated) {}

    @Override
    default void close() {}

    interface Handlers {
        /** The processing step of an {@code order.created}; throws to be retried. */
        void process(OrderEvent created) throws Exception;

        /** Every try of the event failed. */
        void giveUp(OrderEvent created);

        void notifyUser(OrderEvent event);
    }
}
