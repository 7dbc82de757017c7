package dev.switchboard.history;

import dev.switchboard.JsonCodec;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.cluster.Rabbit;
import dev.switchboard.cluster.WorkQueue;
import dev.switchboard.node.Counters;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cluster mode: stores what the {@link BrokerJournal}s of all nodes accepted. Every node runs one,
 * competing for {@code switchboard.persist} with a prefetch of {@value #PREFETCH} journal batches.
 * <ul>
 * <li>One transaction for whatever batches are waiting, insert-or-ignore by id, then one broker ack: a
 * message is acked to the broker only once stored, and stored once however often it is delivered.</li>
 * <li>Database unreachable: the batch stays unacked and is tried again with backoff (up to 5 s)
 * until the database is back; the broker keeps everything meanwhile.</li>
 * <li>Database up but the batch fails: each message is tried alone; one that fails again goes, as a
 * broker message of its own, to a delay queue of {@link PersistQueues} with exponential backoff, counted in {@code x-tries}, and after
 * {@code switchboard.history.persist-tries} tries to {@code switchboard.persist.dead}.</li>
 * </ul>
 */
@ApplicationScoped
public class Persister {
    private static final Logger LOG = Logger.getLogger(Persister.class.getName());
    private static final long MAX_BACKOFF_MS = 5000;
    private static final AMQP.BasicProperties JSON = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").build();

    @Inject ClusterConnections connections;
    @Inject MessageStore store;
    @Inject HistorySettings settings;
    @Inject Counters counters;
    @Resource ManagedThreadFactory threads;

    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private Rabbit rabbit;
    private WorkQueue queues;
    private Channel channel;
    private String consumerTag;
    private Thread thread;
    private volatile boolean running;

    /** Delivery tags are per channel incarnation: after a broker reconnect the old ones must not be acked. */
    private final java.util.concurrent.atomic.AtomicInteger generation = new java.util.concurrent.atomic.AtomicInteger();

    /** @param tries failed tries before this delivery */
    private record Delivery(long tag, int generation, int tries, byte[] body) {
    }

    /** Deliveries (journal batches of up to {@code batch-size} messages each) the broker may hand a node at once. */
    private static final int PREFETCH = 16;

    void start(@Observes Startup startup) {
        if (connections.rabbit().isEmpty()) return;
        rabbit = connections.rabbit().get();
        try {
            queues = PersistQueues.declare(rabbit, settings.persistTries());
            channel = rabbit.newChannel();
            channel.basicQos(PREFETCH);
            consumerTag = channel.basicConsume(PersistQueues.PERSIST, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                    inbox.add(new Delivery(envelope.getDeliveryTag(), generation.get(), WorkQueue.tries(props), body));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("switchboard.rabbitmq.uri: cannot consume " + PersistQueues.PERSIST + ": " + e, e);
        }
        rabbit.onRecovery(() -> {
            // unacked deliveries of the lost connection come again on the new one
            generation.incrementAndGet();
            inbox.clear();
        });
        running = true;
        thread = threads.newThread(new BatchLoop<>("persister", inbox, PREFETCH, () -> running, this::persist));
        thread.setName("switchboard-persister");
        thread.start();
    }

    private void persist(List<Delivery> batch) throws InterruptedException {
        List<RoomMessage> rooms = new ArrayList<>();
        List<DirectMessage> directs = new ArrayList<>();
        Map<Delivery, List<Object>> parsed = new LinkedHashMap<>();
        for (Delivery d : batch) {
            List<Object> messages = parse(d.body());
            if (messages == null) {
                LOG.severe("a delivery that is not a message batch dead-lettered to " + PersistQueues.DEAD);
                if (moved(PersistQueues.DEAD, () -> queues.bury(JSON, d.body(), d.tries() + 1, "not a message batch"))) ackOne(d);
                else nack(d);
                continue;
            }
            parsed.put(d, messages);
            for (Object m : messages) {
                if (m instanceof RoomMessage r) rooms.add(r);
                else directs.add((DirectMessage) m);
            }
        }
        if (parsed.isEmpty()) return;
        for (long backoff = 100; ; backoff = Math.min(MAX_BACKOFF_MS, backoff * 2)) {
            try {
                store.insertIgnoringDuplicates(rooms, directs);
                ack(parsed.keySet());
                counters.persisted(rooms.size() + directs.size());
                return;
            } catch (RuntimeException e) {
                if (store.reachable()) break;      // the database answers: something in the batch is wrong
                LOG.warning("message store unreachable, " + (rooms.size() + directs.size()) + " messages wait in the broker: " + e.getMessage());
                if (!running) return;              // unacked: the broker gives them to another node
                Thread.sleep(backoff);
            }
        }
        parsed.forEach(this::persistOneByOne);
    }

    /**
     * Stores each message of a delivery alone; one that fails goes, alone, to the retry queue (or the
     * dead-letter queue after its last try). The delivery is acked once each message is stored or moved.
     */
    private void persistOneByOne(Delivery d, List<Object> messages) {
        boolean allSettled = true;
        for (Object message : messages) {
            try {
                if (message instanceof RoomMessage r) store.insertIgnoringDuplicates(List.of(r), List.of());
                else store.insertIgnoringDuplicates(List.of(), List.of((DirectMessage) message));
                counters.persisted(1);
            } catch (RuntimeException e) {
                allSettled &= retryLater(d, message, e.getMessage());
            }
        }
        if (allSettled) ackOne(d);
        else nack(d);        // stored ones are ignored as duplicates when it comes again
    }

    private boolean retryLater(Delivery d, Object message, String error) {
        byte[] body = (message instanceof RoomMessage r ? r.json() : MessageJson.direct((DirectMessage) message).toString())
                .getBytes(StandardCharsets.UTF_8);
        int tries = d.tries() + 1;
        if (tries >= settings.persistTries()) {
            LOG.severe("message dead-lettered to " + PersistQueues.DEAD + " after " + tries + " tries: " + error);
            return moved(PersistQueues.DEAD, () -> queues.bury(JSON, body, tries, error));
        }
        LOG.warning("message could not be stored (try " + tries + " of " + settings.persistTries() + ", again in "
                + queues.delayMs(tries) + " ms): " + error);
        return moved("a delay queue", () -> queues.retry(JSON, body, tries, tries));
    }

    private interface Move {
        void run() throws IOException, InterruptedException, TimeoutException;
    }

    /** Runs a confirmed move of a message to another queue, so that it is never in neither; the caller acks the original. */
    private boolean moved(String queue, Move move) {
        try {
            move.run();
            return true;
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warning("could not move a message to " + queue + ", it stays in " + PersistQueues.PERSIST + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A journal batch (a JSON array) or one message (a retried or replayed one); null when it is neither. */
    static List<Object> parse(byte[] body) {
        try (var reader = JsonCodec.reader(new String(body, StandardCharsets.UTF_8))) {
            JsonStructure json = reader.read();
            List<Object> messages = new ArrayList<>();
            if (json instanceof JsonArray array) {
                for (JsonValue m : array) messages.add(message(m.asJsonObject()));
            } else {
                messages.add(message(json.asJsonObject()));
            }
            return messages;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Object message(JsonObject json) {
        return "message".equals(json.getString("type", "")) ? MessageJson.parseRoom(json) : MessageJson.parseDirect(json);
    }

    private void ack(java.util.Collection<Delivery> stored) {
        int current = generation.get();
        long upToTag = stored.stream().filter(d -> d.generation() == current).mapToLong(Delivery::tag).max().orElse(-1);
        if (upToTag < 0) return;
        try {
            synchronized (channel) {
                channel.basicAck(upToTag, true);
            }
        } catch (IOException | RuntimeException e) {
            // the channel died: the broker redelivers the batch, and the ids make that harmless
            LOG.warning("ack of stored messages failed, they will be stored again (ignored as duplicates): " + e);
        }
    }

    private void ackOne(Delivery d) {
        if (d.generation() != generation.get()) return;
        try {
            synchronized (channel) {
                channel.basicAck(d.tag(), false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("ack failed: " + e);
        }
    }

    private void nack(Delivery d) {
        if (d.generation() != generation.get()) return;
        try {
            synchronized (channel) {
                channel.basicNack(d.tag(), false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("nack failed: " + e);
        }
    }

    /** Messages waiting to be stored and messages that failed every try, for {@code /stats}. */
    public Map<String, Long> queueDepths() {
        if (rabbit == null) return Map.of();
        try {
            return rabbit.withPublisher(queues::depths);
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Stops taking messages, stores what it holds, and leaves the rest to the other nodes. */
    @PreDestroy
    void stop() {
        if (channel == null) return;
        try {
            channel.basicCancel(consumerTag);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "cancel failed", e);
        }
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
