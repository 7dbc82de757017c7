package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * One message handed to a {@link QueueConsumer}, to be acked (or requeued) exactly once. It carries
 * the generation of the connection it came on: after the connection was lost, the broker delivers
 * it again on the new one, where its tag names another message or none, so acking it is a no-op.
 */
public final class Delivery {
    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());

    private final Broker.Subscription channel;
    private final IntSupplier currentGeneration;
    private final int generation;
    private final long tag;
    private final AMQP.BasicProperties props;
    private final byte[] body;

    Delivery(
            Broker.Subscription channel,
            IntSupplier currentGeneration,
            long tag,
            AMQP.BasicProperties props,
            byte[] body) {
        this.channel = channel;
        this.currentGeneration = currentGeneration;
        this.generation = currentGeneration.getAsInt();
        this.tag = tag;
        this.props = props;
        this.body = body;
    }

    public byte[] body() {
        return body;
    }

    /** Failed tries before this delivery, from header {@value WorkQueue#TRIES_HEADER}. */
    public int tries() {
        Object header =
                props.getHeaders() == null ? null : props.getHeaders().get(WorkQueue.TRIES_HEADER);
        return header instanceof Number n ? n.intValue() : 0;
    }

    AMQP.BasicProperties props() {
        return props;
    }

    /**
     * It came on a connection since lost: the broker delivers it again, so work on this copy is
     * wasted.
     */
    public boolean stale() {
        return generation != currentGeneration.getAsInt();
    }

    /** Done with: the broker forgets it. */
    public void ack() {
        if (stale()) return;
        try {
            channel.ack(tag);
        } catch (IOException | RuntimeException e) {
            // the channel died with it: the broker delivers it again, and its consumer must cope
            // with that anyway
            LOG.info("an ack failed, the broker delivers the message again: " + e);
        }
    }

    /** Not done with: the broker delivers it again at once (here or to another node). */
    public void requeue() {
        if (stale()) return;
        try {
            channel.requeue(tag);
        } catch (IOException | RuntimeException e) {
            LOG.info(
                    "a requeue failed, the broker delivers the message again when the channel closes: "
                            + e);
        }
    }
}
