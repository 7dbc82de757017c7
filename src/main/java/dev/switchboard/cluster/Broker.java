package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.util.Map;

/**
 * What a {@link WorkQueue} and a {@link QueueConsumer} need of the broker: RabbitMQ in a node
 * ({@link RabbitBroker}), an in-memory fake in unit tests, so their rules are tested without one.
 */
interface Broker {
    /** Declares a durable quorum queue with these arguments. */
    void declare(String queue, Map<String, Object> arguments) throws IOException;

    /**
     * Puts one persistent message into {@code queue} and returns once the broker confirmed it;
     * throws if it did not.
     */
    void send(String queue, AMQP.BasicProperties props, byte[] body) throws IOException;

    /** Messages ready in {@code queue}. */
    long messageCount(String queue) throws IOException;

    /**
     * Connections lost so far: a delivery tag means something only in the generation it came in.
     */
    int generation();

    /**
     * Opens a channel of its own to consume {@code queue} with manual acks; {@link
     * Subscription#start} starts it.
     */
    Subscription subscribe(String queue, int prefetch) throws IOException;

    interface Receiver {
        /** Called on the broker client's thread: hand the work on, never block here. */
        void deliver(long tag, AMQP.BasicProperties props, byte[] body);
    }

    /** The consuming channel: acks go back on the channel the delivery came on. */
    interface Subscription {
        void start(Receiver receiver) throws IOException;

        void ack(long tag) throws IOException;

        /** Gives a delivery back to the queue, to be delivered again at once. */
        void requeue(long tag) throws IOException;

        /** No new deliveries; those held can still be acked. */
        void cancel();

        /** Closes the channel: deliveries not acked go back to the queue. */
        void close();
    }
}
