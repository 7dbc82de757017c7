package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker in memory for unit tests of work queues and their consumers: queues, manual acks with
 * tags that start again on each connection (as a channel's do), delay queues that expire on demand,
 * and a lost connection ({@link #reconnect}) after which the broker redelivers what was not acked.
 */
public final class InMemoryBroker implements Broker {
    /** A message in a queue, with its properties. */
    public record Message(AMQP.BasicProperties props, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Object header(String name) {
            return props.getHeaders() == null ? null : props.getHeaders().get(name);
        }
    }

    private record Unacked(String queue, Message message) {}

    private final Map<String, Deque<Message>> queues = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> arguments = new HashMap<>();
    private final Map<String, Broker.Receiver> consumers = new HashMap<>();
    private final Map<Long, Unacked> unacked = new LinkedHashMap<>();
    private long nextTag;
    private int generation;

    /** While set, sends are refused, as by a broker that does not confirm. */
    public volatile boolean refusesSends;

    /** A work queue on this broker that gives a delivery it could not move back without pausing. */
    public WorkQueue workQueue(String name, String dead, Backoff backoff) {
        var queue = new WorkQueue(this, name, dead, backoff);
        queue.requeuePauseMs = 0;
        return queue;
    }

    public QueueConsumer consumer(String queue, java.util.function.Consumer<Delivery> handler)
            throws IOException {
        return QueueConsumer.start(this, queue, 10, handler);
    }

    public synchronized void publish(String queue, byte[] body) {
        enqueue(
                queue,
                new Message(
                        new AMQP.BasicProperties.Builder()
                                .deliveryMode(2)
                                .contentType("application/json")
                                .build(),
                        body));
    }

    public void publish(String queue, String body) {
        publish(queue, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The messages ready in a queue, oldest first. */
    public synchronized List<Message> messages(String queue) {
        return List.copyOf(queues.getOrDefault(queue, new ArrayDeque<>()));
    }

    public synchronized Map<String, Object> arguments(String queue) {
        return arguments.get(queue);
    }

    public synchronized int unackedCount() {
        return unacked.size();
    }

    /**
     * Every delay queue's messages dead-letter into their work queue now, as if their TTL had
     * passed.
     */
    public synchronized void expireDelays() {
        for (var entry : arguments.entrySet()) {
            Object target = entry.getValue().get("x-dead-letter-routing-key");
            if (target == null) continue;
            Deque<Message> delayed = queues.get(entry.getKey());
            List<Message> moving = new ArrayList<>(delayed);
            delayed.clear();
            moving.forEach(m -> enqueue((String) target, m));
        }
    }

    /**
     * The connection is lost and recovered: what was not acked is delivered again, with the new
     * channel's tags.
     */
    public synchronized void reconnect() {
        generation++;
        List<Unacked> back = new ArrayList<>(unacked.values());
        unacked.clear();
        nextTag = 0;
        for (int i = back.size() - 1; i >= 0; i--)
            queues.get(back.get(i).queue()).addFirst(back.get(i).message());
        back.stream().map(Unacked::queue).distinct().forEach(this::dispatch);
    }

    @Override
    public synchronized void declare(String queue, Map<String, Object> args) {
        queues.putIfAbsent(queue, new ArrayDeque<>());
        arguments.put(queue, Map.copyOf(args));
    }

    @Override
    public synchronized void send(String queue, AMQP.BasicProperties props, byte[] body)
            throws IOException {
        if (refusesSends) throw new IOException("the broker did not confirm");
        if (!queues.containsKey(queue)) throw new IOException("no queue " + queue);
        enqueue(queue, new Message(props, body));
    }

    @Override
    public synchronized long messageCount(String queue) {
        return queues.getOrDefault(queue, new ArrayDeque<>()).size();
    }

    @Override
    public synchronized int generation() {
        return generation;
    }

    @Override
    public synchronized Subscription subscribe(String queue, int prefetch) {
        return new Subscription() {
            @Override
            public void start(Receiver receiver) {
                synchronized (InMemoryBroker.this) {
                    consumers.put(queue, receiver);
                    dispatch(queue);
                }
            }

            @Override
            public void ack(long tag) throws IOException {
                synchronized (InMemoryBroker.this) {
                    // RabbitMQ closes the channel at an unknown tag
                    if (unacked.remove(tag) == null)
                        throw new IOException("PRECONDITION_FAILED - unknown delivery tag " + tag);
                }
            }

            @Override
            public void requeue(long tag) throws IOException {
                synchronized (InMemoryBroker.this) {
                    Unacked back = unacked.remove(tag);
                    if (back == null)
                        throw new IOException("PRECONDITION_FAILED - unknown delivery tag " + tag);
                    queues.get(back.queue()).addFirst(back.message());
                    dispatch(back.queue());
                }
            }

            @Override
            public void cancel() {
                synchronized (InMemoryBroker.this) {
                    consumers.remove(queue);
                }
            }

            @Override
            public void close() {
                cancel();
            }
        };
    }

    private void enqueue(String queue, Message message) {
        queues.computeIfAbsent(queue, q -> new ArrayDeque<>()).addLast(message);
        dispatch(queue);
    }

    /**
     * Hands ready messages to the queue's consumer; receivers only collect, so this does not
     * recurse.
     */
    private void dispatch(String queue) {
        Broker.Receiver receiver = consumers.get(queue);
        Deque<Message> ready = queues.get(queue);
        while (receiver != null && ready != null && !ready.isEmpty()) {
            Message m = ready.pollFirst();
            long tag = ++nextTag;
            unacked.put(tag, new Unacked(queue, m));
            receiver.deliver(tag, m.props(), m.body());
        }
    }
}
