package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Declares durable queues as quorum queues (replicated, so a managed broker's node failure loses
 * nothing), upgrading a queue of the same name that an older version declared with other arguments
 * (a classic queue): the broker refuses such a redeclare, which would stop the node from starting.
 * The upgrade parks the old queue's messages in {@code <name>.upgrading}, deletes the old queue
 * only once empty and unused, declares the new one and moves the messages back; an upgrade cut
 * short is finished at the next start. A queue that old nodes still consume is not touched.
 */
public final class QuorumQueue {
    private static final Logger LOG = Logger.getLogger(QuorumQueue.class.getName());

    private QuorumQueue() {}

    /** Declares {@code name} (durable, quorum, plus {@code arguments}); the caller binds it. */
    public static void declare(Rabbit rabbit, String name, Map<String, Object> arguments)
            throws IOException {
        Map<String, Object> args = new HashMap<>(arguments);
        args.put("x-queue-type", "quorum");
        if (!tryDeclare(rabbit, name, args)) upgrade(rabbit, name, arguments, args);
        String parking = name + ".upgrading";
        if (exists(rabbit, parking)) {
            long moved = move(rabbit, parking, name);
            deleteIfEmpty(rabbit, parking);
            LOG.info(
                    "RabbitMQ queue "
                            + name
                            + " upgraded to a quorum queue; "
                            + moved
                            + " messages moved into it");
        }
    }

    /**
     * Deletes a classic queue an older version used, once nothing is in it and nobody consumes it
     * (never a quorum queue: RabbitMQ 3.10 closes the connection at a conditional delete of one).
     */
    public static void deleteIfEmpty(Rabbit rabbit, String name) throws IOException {
        Channel channel = rabbit.newChannel();
        try {
            channel.queueDelete(name, true, true);
        } catch (IOException e) {
            if (!refused(e)) throw e;
            LOG.info(
                    "RabbitMQ queue "
                            + name
                            + " is not empty or in use yet; it is deleted at a later start");
        } finally {
            close(channel);
        }
    }

    private static void upgrade(
            Rabbit rabbit, String name, Map<String, Object> arguments, Map<String, Object> args)
            throws IOException {
        Map<String, Object> classic = new HashMap<>(arguments);
        classic.put("x-queue-type", "classic");
        if (!tryDeclare(rabbit, name, classic)) {
            throw new IllegalStateException(
                    "RabbitMQ queue "
                            + name
                            + " exists with other arguments than this version's and the "
                            + "older version's "
                            + classic
                            + ": move its messages away and delete it, then start again");
        }
        String parking = name + ".upgrading";
        Channel channel = rabbit.newChannel();
        try {
            int consumers = channel.queueDeclarePassive(name).getConsumerCount();
            if (consumers > 0) {
                throw new IllegalStateException(
                        "RabbitMQ queue "
                                + name
                                + " exists with other arguments (a classic queue of an older "
                                + "Switchboard) and "
                                + consumers
                                + " consumers: stop every node of the older version, then start this one, "
                                + "which moves the queue's messages into a quorum queue of the same name (docs/CLUSTER.md: quorum queues)");
            }
            // classic, as it lives only during the upgrade and must be deleted only when empty
            channel.queueDeclare(parking, true, false, false, Map.of());
        } finally {
            close(channel);
        }
        long moved = move(rabbit, name, parking);
        channel = rabbit.newChannel();
        try {
            channel.queueDelete(name, true, true);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "RabbitMQ queue "
                            + name
                            + " received messages or a consumer while it was upgraded to a "
                            + "quorum queue: stop every node of the older version and start again ("
                            + moved
                            + " messages wait in "
                            + parking
                            + ")",
                    e);
        } finally {
            close(channel);
        }
        if (!tryDeclare(rabbit, name, args))
            throw new IllegalStateException(
                    "RabbitMQ refused the quorum queue " + name + " after the upgrade");
    }

    private static boolean tryDeclare(Rabbit rabbit, String name, Map<String, Object> args)
            throws IOException {
        Channel channel = rabbit.newChannel();
        try {
            channel.queueDeclare(name, true, false, false, args);
            return true;
        } catch (IOException e) {
            if (refused(e)) return false;
            throw e;
        } finally {
            close(channel);
        }
    }

    private static boolean exists(Rabbit rabbit, String name) throws IOException {
        Channel channel = rabbit.newChannel();
        try {
            channel.queueDeclarePassive(name);
            return true;
        } catch (IOException e) {
            if (replyCode(e) == 404) return false;
            throw e;
        } finally {
            close(channel);
        }
    }

    /**
     * Moves every message, each confirmed in {@code to} before it is acked in {@code from}, so none
     * is ever in neither.
     */
    private static long move(Rabbit rabbit, String from, String to) throws IOException {
        Channel channel = rabbit.newChannel();
        long moved = 0;
        try {
            for (GetResponse got; (got = channel.basicGet(from, false)) != null; moved++) {
                // a classic retry queue's per-message TTL would expire the message in its new queue
                AMQP.BasicProperties props = got.getProps().builder().expiration(null).build();
                rabbit.sendConfirmed(to, props, got.getBody());
                channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
            }
            return moved;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(
                    "interrupted while moving messages from " + from + " to " + to, e);
        } catch (TimeoutException e) {
            throw new IOException(
                    "RabbitMQ did not confirm a message moved from " + from + " to " + to, e);
        } finally {
            close(channel);
        }
    }

    /**
     * 406 PRECONDITION_FAILED: other arguments than the existing queue's, or a conditional delete
     * refused.
     */
    private static boolean refused(IOException e) {
        return replyCode(e) == 406;
    }

    private static int replyCode(IOException e) {
        return e.getCause() instanceof ShutdownSignalException s
                        && s.getReason() instanceof AMQP.Channel.Close close
                ? close.getReplyCode()
                : 0;
    }

    private static void close(Channel channel) {
        try {
            if (channel.isOpen()) channel.close();
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.fine("closing a RabbitMQ channel failed: " + e);
        }
    }
}
