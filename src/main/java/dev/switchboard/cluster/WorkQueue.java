package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A work queue with retries, as quorum queues on the default exchange: {@code <name>} (the work),
 * {@code <name>.delay-<ms>ms} per {@link Backoff} step (a queue TTL, then dead-lettered back: one
 * TTL per queue, as a message TTL expires only at a queue's head) and a dead-letter queue. Header
 * {@value #TRIES_HEADER} counts failed tries; quorum queues' {@code x-delivery-limit} would count
 * redeliveries after a crash too. A message moves by a confirmed copy, then the original's ack: it
 * is always in one queue or the other.
 */
public final class WorkQueue {
    public static final String TRIES_HEADER = "x-tries";
    public static final String ERROR_HEADER = "x-error";
    private static final int MAX_ERROR_CHARS = 500;
    private static final Logger LOG = Logger.getLogger(WorkQueue.class.getName());

    /** What became of a failed delivery (or part of one). */
    public enum Outcome {
        /** It waits in a delay queue and comes back. */
        RETRIED,
        /** It is in the dead-letter queue. */
        DEAD,
        /**
         * The broker did not take the copy (or the delivery is stale): the original stays in the
         * work queue.
         */
        KEPT
    }

    private final Broker broker;
    private final String name;
    private final String dead;
    private final Backoff backoff;

    /**
     * Before giving back a delivery that could not be moved: the broker is struggling, do not spin
     * on it.
     */
    long requeuePauseMs = 1000;

    public WorkQueue(Rabbit rabbit, String name, String dead, Backoff backoff) {
        this(new RabbitBroker(rabbit), name, dead, backoff);
    }

    WorkQueue(Broker broker, String name, String dead, Backoff backoff) {
        this.broker = broker;
        this.name = name;
        this.dead = dead;
        this.backoff = backoff;
    }

    /**
     * Declares the work, delay and dead-letter queues; {@code arguments} are the work queue's own.
     */
    public void declare(Map<String, Object> arguments) throws IOException {
        broker.declare(name, arguments);
        for (var delay : delayQueues().entrySet()) {
            // at least once: a retry that a broker crash interrupts is kept, not lost on its way
            // back
            broker.declare(
                    delay.getKey(),
                    Map.of(
                            "x-message-ttl",
                            delay.getValue(),
                            "x-dead-letter-exchange",
                            "",
                            "x-dead-letter-routing-key",
                            name,
                            "x-dead-letter-strategy",
                            "at-least-once",
                            "x-overflow",
                            "reject-publish"));
        }
        broker.declare(dead, Map.of());
    }

    /**
     * Starts consuming the work queue; {@code handler} runs on the broker client's thread and must
     * hand the delivery on.
     */
    public QueueConsumer consume(int prefetch, Consumer<Delivery> handler) throws IOException {
        return QueueConsumer.start(broker, name, prefetch, handler);
    }

    /** Whether this delivery is the last try: failing it sends it to the dead-letter queue. */
    public boolean lastTry(Delivery delivery) {
        return backoff.spent(delivery.tries() + 1);
    }

    /**
     * The try failed: retried after its backoff, or dead-lettered after the last try; the delivery
     * is settled.
     */
    public Outcome fail(Delivery delivery, String error) {
        return settle(delivery, failPart(delivery, delivery.body(), error));
    }

    /**
     * The try failed, and is retried whatever its count (after the last retry's delay once past the
     * last try): for a give-up step that failed and must run again. The delivery is settled.
     */
    public Outcome retry(Delivery delivery, String error) {
        int tries = delivery.tries() + 1;
        return settle(delivery, retryCopy(delivery, delivery.body(), tries, error));
    }

    /**
     * No try can succeed (the body makes no sense): dead-lettered at once; the delivery is settled.
     */
    public Outcome bury(Delivery delivery, String error) {
        return settle(delivery, buryCopy(delivery, delivery.body(), delivery.tries() + 1, error));
    }

    /**
     * One part of a delivery failed (one message of a batch): that part alone is retried or
     * dead-lettered as {@link #fail} would, as a message of its own. The delivery is not settled:
     * the caller acks it once every part is stored or moved, and requeues it when one is {@link
     * Outcome#KEPT}.
     */
    public Outcome failPart(Delivery delivery, byte[] part, String error) {
        int tries = delivery.tries() + 1;
        return backoff.spent(tries)
                ? buryCopy(delivery, part, tries, error)
                : retryCopy(delivery, part, tries, error);
    }

    private Outcome retryCopy(Delivery delivery, byte[] body, int tries, String error) {
        String delay = delayQueue(tries);
        if (!moved(delivery, delay, body, tries, null)) return Outcome.KEPT;
        LOG.info(
                name
                        + ": try "
                        + tries
                        + " of "
                        + backoff.tries()
                        + " failed, again in "
                        + backoff.delayMs(tries)
                        + " ms: "
                        + error);
        return Outcome.RETRIED;
    }

    private Outcome buryCopy(Delivery delivery, byte[] body, int tries, String error) {
        if (!moved(delivery, dead, body, tries, error)) return Outcome.KEPT;
        LOG.warning(
                name
                        + ": dead-lettered to "
                        + dead
                        + " after "
                        + tries
                        + (tries == 1 ? " try: " : " tries: ")
                        + error);
        return Outcome.DEAD;
    }

    /**
     * A confirmed copy of the body into {@code queue}; a stale delivery is not copied, as the
     * broker delivers the original again.
     */
    private boolean moved(Delivery delivery, String queue, byte[] body, int tries, String error) {
        if (delivery.stale()) return false;
        try {
            broker.send(queue, copy(delivery.props(), tries, error), body);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warning(
                    "could not move a message of "
                            + name
                            + " to "
                            + queue
                            + ", it stays in "
                            + name
                            + ": "
                            + e);
            return false;
        }
    }

    private Outcome settle(Delivery delivery, Outcome outcome) {
        if (outcome != Outcome.KEPT) {
            delivery.ack();
            return outcome;
        }
        if (delivery.stale()) return outcome;
        try {
            Thread.sleep(requeuePauseMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.requeue();
        return outcome;
    }

    /**
     * Headers replaced, not added to: a dead-lettered copy would otherwise carry every earlier
     * {@code x-death}.
     */
    private static AMQP.BasicProperties copy(AMQP.BasicProperties props, int tries, String error) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(TRIES_HEADER, tries);
        if (error != null)
            headers.put(
                    ERROR_HEADER,
                    error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error);
        return props.builder().headers(headers).expiration(null).deliveryMode(2).build();
    }

    /**
     * Named for the delay, as a queue's TTL cannot change: a new delay gets a new queue, and the
     * old one drains into the work queue by itself.
     */
    String delayQueue(int failedTries) {
        return name + ".delay-" + backoff.delayMs(failedTries) + "ms";
    }

    /** Each delay queue with its TTL, first step first. */
    private Map<String, Long> delayQueues() {
        Map<String, Long> queues = new LinkedHashMap<>();
        for (int step = 1; step <= backoff.steps(); step++)
            queues.put(delayQueue(step), backoff.delayMs(step));
        return queues;
    }

    /** Messages in the work queue, waiting in delay queues, and in the dead-letter queue. */
    public Map<String, Long> depths() throws IOException {
        long delayed = 0;
        for (String delay : delayQueues().keySet()) delayed += broker.messageCount(delay);
        return Map.of(
                "waiting",
                broker.messageCount(name),
                "retrying",
                delayed,
                "dead",
                broker.messageCount(dead));
    }

    public long deadLetters() throws IOException {
        return broker.messageCount(dead);
    }
}
