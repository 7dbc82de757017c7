package dev.switchboard.history;

import dev.switchboard.JsonCodec;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.cluster.Rabbit;
import dev.switchboard.ops.Counters;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cluster mode: stores what the {@link BrokerJournal}s of all nodes accepted. Every node runs one,
 * competing for {@code switchboard.persist} with a prefetch of two batches.
 * <ul>
 * <li>One transaction per batch, insert-or-ignore by id, then one broker ack for the batch: a
 * message is acked to the broker only once stored, and stored once however often it is delivered.</li>
 * <li>Database unreachable: the batch stays unacked and is tried again with backoff (up to 5 s)
 * until the database is back; the broker keeps everything meanwhile.</li>
 * <li>Database up but the batch fails: each message is tried alone; one that fails again goes to
 * {@code switchboard.persist.retry} with exponential backoff, counted in {@code x-retries}, and after
 * {@code switchboard.history.persist-tries} tries to {@code switchboard.persist.dead}.</li>
 * </ul>
 */
@ApplicationScoped
public class Persister {
    private static final Logger LOG = Logger.getLogger(Persister.class.getName());
    private static final long MAX_BACKOFF_MS = 5000;

    @Inject ClusterConnections connections;
    @Inject MessageStore store;
    @Inject HistorySettings settings;
    @Inject Counters counters;
    @Resource ManagedThreadFactory threads;

    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private Rabbit rabbit;
    private Channel channel;
    private String consumerTag;
    private Thread thread;
    private volatile boolean running;

    /** Delivery tags are per channel incarnation: after a broker reconnect the old ones must not be acked. */
    private final java.util.concurrent.atomic.AtomicInteger generation = new java.util.concurrent.atomic.AtomicInteger();

    private record Delivery(long tag, int generation, int retries, byte[] body) {
    }

    void start(@Observes Startup startup) {
        if (connections.rabbit().isEmpty()) return;
        rabbit = connections.rabbit().get();
        try {
            channel = rabbit.newChannel();
            PersistQueues.declare(channel);
            channel.basicQos(settings.batchSize() * 2);
            consumerTag = channel.basicConsume(PersistQueues.PERSIST, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                    Object retries = props.getHeaders() == null ? null : props.getHeaders().get(PersistQueues.RETRIES_HEADER);
                    inbox.add(new Delivery(envelope.getDeliveryTag(), generation.get(), retries instanceof Number n ? n.intValue() : 0, body));
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
        thread = threads.newThread(new BatchLoop<>("persister", inbox, settings.batchSize(), () -> running, this::persist));
        thread.setName("switchboard-persister");
        thread.start();
    }

    private void persist(List<Delivery> batch) throws InterruptedException {
        List<RoomMessage> rooms = new ArrayList<>();
        List<DirectMessage> directs = new ArrayList<>();
        Map<Delivery, Object> parsed = new HashMap<>();
        for (Delivery d : batch) {
            Object m = parse(d);
            if (m == null) {
                deadLetter(d, "not a message");
                continue;
            }
            parsed.put(d, m);
            if (m instanceof RoomMessage r) rooms.add(r);
            else directs.add((DirectMessage) m);
        }
        if (parsed.isEmpty()) return;
        for (long backoff = 100; ; backoff = Math.min(MAX_BACKOFF_MS, backoff * 2)) {
            try {
                store.insertIgnoringDuplicates(rooms, directs);
                ack(parsed.keySet());
                counters.persisted(parsed.size());
                return;
            } catch (RuntimeException e) {
                if (store.reachable()) break;      // the database answers: something in the batch is wrong
                LOG.warning("message store unreachable, " + parsed.size() + " messages wait in the broker: " + e.getMessage());
                if (!running) return;              // unacked: the broker gives them to another node
                Thread.sleep(backoff);
            }
        }
        for (Map.Entry<Delivery, Object> one : parsed.entrySet()) persistAlone(one.getKey(), one.getValue());
    }

    private void persistAlone(Delivery d, Object message) {
        try {
            if (message instanceof RoomMessage r) store.insertIgnoringDuplicates(List.of(r), List.of());
            else store.insertIgnoringDuplicates(List.of(), List.of((DirectMessage) message));
            ackOne(d);
            counters.persisted(1);
        } catch (RuntimeException e) {
            int tries = d.retries() + 1;
            if (tries >= settings.persistTries()) {
                deadLetter(d, e.getMessage());
            } else {
                long delay = 200L << (2 * (tries - 1));      // 200 ms, 800 ms, 3.2 s, ...
                LOG.warning("message could not be stored (try " + tries + " of " + settings.persistTries() + ", again in " + delay + " ms): " + e.getMessage());
                republish(d, PersistQueues.RETRY, tries, String.valueOf(delay), null);
            }
        }
    }

    private void deadLetter(Delivery d, String why) {
        LOG.severe("message dead-lettered to " + PersistQueues.DEAD + " after " + (d.retries() + 1) + " tries: " + why);
        republish(d, PersistQueues.DEAD, d.retries() + 1, null, why);
    }

    /** Publishes a copy (confirmed) and only then acks the original, so the message is never in neither queue. */
    private void republish(Delivery d, String queue, int tries, String expiration, String error) {
        try {
            Map<String, Object> headers = new HashMap<>();
            headers.put(PersistQueues.RETRIES_HEADER, tries);
            if (error != null) headers.put("x-error", error.length() > 500 ? error.substring(0, 500) : error);
            var props = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json")
                    .headers(headers).expiration(expiration).build();
            rabbit.withPublisher(ch -> {
                ch.basicPublish("", queue, props, d.body());
                return ch.waitForConfirms(5000);
            });
            ackOne(d);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warning("could not move a message to " + queue + ", it stays in " + PersistQueues.PERSIST + ": " + e);
            nack(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object parse(Delivery d) {
        try {
            JsonObject json = JsonCodec.reader(new String(d.body(), StandardCharsets.UTF_8)).readObject();
            return "message".equals(json.getString("type", "")) ? MessageJson.parseRoom(json) : MessageJson.parseDirect(json);
        } catch (RuntimeException e) {
            return null;
        }
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
            return rabbit.withPublisher(ch -> Map.of("waiting", ch.messageCount(PersistQueues.PERSIST),
                    "retrying", ch.messageCount(PersistQueues.RETRY), "dead", ch.messageCount(PersistQueues.DEAD)));
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
