package dev.switchboard.cluster;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Consumes one queue with manual acks and a prefetch, on a channel of its own, handing each message
 * as a {@link Delivery} to a handler on the broker client's thread (which must hand it on at once).
 */
public final class QueueConsumer implements AutoCloseable {
    private final Broker.Subscription subscription;

    private QueueConsumer(Broker.Subscription subscription) {
        this.subscription = subscription;
    }

    /**
     * For a queue without retries (e.g. one whose messages are hints); a {@link WorkQueue} has its
     * own.
     */
    public static QueueConsumer start(
            Rabbit rabbit, String queue, int prefetch, Consumer<Delivery> handler)
            throws IOException {
        return start(new RabbitBroker(rabbit), queue, prefetch, handler);
    }

    static QueueConsumer start(
            Broker broker, String queue, int prefetch, Consumer<Delivery> handler)
            throws IOException {
        Broker.Subscription channel = broker.subscribe(queue, prefetch);
        try {
            channel.start(
                    (tag, props, body) ->
                            handler.accept(
                                    new Delivery(channel, broker::generation, tag, props, body)));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new QueueConsumer(channel);
    }

    /** Takes no new deliveries; those handed out can still be acked. */
    public void stop() {
        subscription.cancel();
    }

    /**
     * Closes the channel: deliveries not acked yet go back to the queue, for this node or another.
     */
    @Override
    public void close() {
        subscription.cancel();
        subscription.close();
    }
}
