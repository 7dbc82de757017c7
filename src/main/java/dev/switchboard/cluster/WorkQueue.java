package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.IntToLongFunction;

/**
 * A durable work queue with retries and a dead-letter queue, all quorum queues on the default
 * exchange, shared by the persister and the order processor:
 * <ul>
 * <li>{@code <name>}: the work; consumers compete for it with manual acks;</li>
 * <li>{@code <name>.delay-<ms>ms}, one per backoff step: a failed try waits there for that step's
 * delay (queue-level TTL), then dead-letters back to {@code <name>}. A message TTL expires only at a
 * queue's head, so with one TTL per queue no retry ever waits behind a longer one. Declaring at
 * least once ({@code x-dead-letter-strategy}) keeps a retry that a broker crash interrupts;</li>
 * <li>the dead-letter queue: deliveries whose tries were spent, kept for inspection and replay.</li>
 * </ul>
 * Header {@code x-tries} counts the failed tries. Quorum queues' own {@code x-delivery-limit} is not
 * used: it counts redeliveries after a consumer's crash or a broker restart too, which are not
 * failed tries.
 */
public final class WorkQueue {
    public static final String TRIES_HEADER = "x-tries";
    private static final String ERROR_HEADER = "x-error";

    private final Rabbit rabbit;
    private final String name;
    private final String dead;
    /** The delay queue of each step, first step first. */
    private final List<String> delayQueues = new ArrayList<>();
    /** Each delay queue's TTL. */
    private final Map<String, Long> delays = new LinkedHashMap<>();

    /**
     * @param steps     backoff steps a failed delivery can wait for (1 = after the first failure)
     * @param backoffMs the delay of a step
     */
    public WorkQueue(Rabbit rabbit, String name, String dead, int steps, IntToLongFunction backoffMs) {
        this.rabbit = rabbit;
        this.name = name;
        this.dead = dead;
        // named for the delay, as a queue's TTL cannot change: a new delay gets a new queue, and the
        // old one drains into the work queue by itself
        for (int step = 1; step <= steps; step++) {
            long ms = backoffMs.applyAsLong(step);
            delayQueues.add(name + ".delay-" + ms + "ms");
            delays.put(name + ".delay-" + ms + "ms", ms);
        }
    }

    /** Declares the work, delay and dead-letter queues; {@code arguments} are the work queue's own. */
    public void declare(Map<String, Object> arguments) throws IOException {
        QuorumQueue.declare(rabbit, name, arguments);
        for (var delay : delays.entrySet()) {
            QuorumQueue.declare(rabbit, delay.getKey(), Map.of("x-message-ttl", delay.getValue(),
                    "x-dead-letter-exchange", "", "x-dead-letter-routing-key", name,
                    "x-dead-letter-strategy", "at-least-once", "x-overflow", "reject-publish"));
        }
        QuorumQueue.declare(rabbit, dead, Map.of());
    }

    /** The delay of {@code step}, as {@link #retry} uses it. */
    public long delayMs(int step) {
        return delays.get(delayQueue(step));
    }

    private String delayQueue(int step) {
        return delayQueues.get(Math.max(0, Math.min(step, delayQueues.size()) - 1));
    }

    /** Failed tries so far of a delivery, from its header. */
    public static int tries(AMQP.BasicProperties props) {
        Object header = props.getHeaders() == null ? null : props.getHeaders().get(TRIES_HEADER);
        return header instanceof Number n ? n.intValue() : 0;
    }

    /**
     * Sends a copy (confirmed) to wait for the delay of {@code step} (the last step's beyond them),
     * then come back with {@code tries} in its header; the caller acks the original after this returns.
     */
    public void retry(AMQP.BasicProperties props, byte[] body, int tries, int step) throws IOException, InterruptedException, TimeoutException {
        rabbit.sendConfirmed(delayQueue(step), copy(props, tries, null), body);
    }

    /** Sends a copy (confirmed) to the dead-letter queue, with the error if there is one; the caller acks the original. */
    public void bury(AMQP.BasicProperties props, byte[] body, int tries, String error) throws IOException, InterruptedException, TimeoutException {
        rabbit.sendConfirmed(dead, copy(props, tries, error), body);
    }

    private static AMQP.BasicProperties copy(AMQP.BasicProperties props, int tries, String error) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(TRIES_HEADER, tries);
        if (error != null) headers.put(ERROR_HEADER, error.length() > 500 ? error.substring(0, 500) : error);
        return props.builder().headers(headers).expiration(null).deliveryMode(2).build();
    }

    /** Messages in the work queue, waiting in delay queues, and in the dead-letter queue. */
    public Map<String, Long> depths(Channel channel) throws IOException {
        long delayed = 0;
        for (String delay : delays.keySet()) delayed += channel.messageCount(delay);
        return Map.of("waiting", channel.messageCount(name), "retrying", delayed, "dead", channel.messageCount(dead));
    }

    public long deadLetters(Channel channel) throws IOException {
        return channel.messageCount(dead);
    }
}
