package dev.switchboard.history;

import dev.switchboard.JsonCodec;
import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.cluster.Delivery;
import dev.switchboard.cluster.QueueConsumer;
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
import java.util.logging.Logger;

/**
 * Cluster mode: stores what the {@link BrokerJournal}s of all nodes accepted, competing for the
 * {@link PersistQueues} work queue. Waiting batches go in one insert-or-ignore transaction, then
 * are acked: stored once however often delivered. A database that is down is waited out, unacked;
 * one that refuses a batch gets each message alone, and one it refuses again is a failed try of its
 * own.
 */
@ApplicationScoped
public class Persister {
    private static final Logger LOG = Logger.getLogger(Persister.class.getName());
    private static final long MAX_BACKOFF_MS = 5000;

    /**
     * Deliveries (journal batches of up to {@code batch-size} messages each) the broker may hand a
     * node at once.
     */
    private static final int PREFETCH = 16;

    @Inject ClusterConnections connections;
    @Inject MessageStore store;
    @Inject HistorySettings settings;
    @Inject Counters counters;
    @Resource ManagedThreadFactory threads;

    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();

    /** Set at start in cluster mode; unit tests give it one on an in-memory broker. */
    WorkQueue queues;

    private QueueConsumer consumer;
    private Thread thread;
    volatile boolean running;

    void start(@Observes Startup startup) {
        if (connections.rabbit().isEmpty()) return;
        try {
            queues = PersistQueues.declare(connections.rabbit().get(), settings.persistTries());
            consumer = queues.consume(PREFETCH, inbox::add);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "switchboard.rabbitmq.uri: cannot consume " + PersistQueues.PERSIST + ": " + e,
                    e);
        }
        running = true;
        thread =
                threads.newThread(
                        new BatchLoop<>(
                                "persister", inbox, PREFETCH, () -> running, this::persist));
        thread.setName("switchboard-persister");
        thread.start();
    }

    void persist(List<Delivery> deliveries) throws InterruptedException {
        List<RoomMessage> rooms = new ArrayList<>();
        List<DirectMessage> directs = new ArrayList<>();
        Map<Delivery, List<Object>> parsed = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            if (d.stale()) continue; // it comes again on the recovered connection
            List<Object> messages = parse(d.body());
            if (messages == null) {
                queues.bury(d, "not a message batch");
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
                parsed.keySet().forEach(Delivery::ack);
                counters.persisted(rooms.size() + directs.size());
                return;
            } catch (RuntimeException e) {
                if (store.reachable())
                    break; // the database answers: something in the batch is wrong
                LOG.warning(
                        "message store unreachable, "
                                + (rooms.size() + directs.size())
                                + " messages wait in the broker: "
                                + e.getMessage());
                if (!running) return; // unacked: the broker gives them to another node
                Thread.sleep(backoff);
            }
        }
        parsed.forEach(this::persistOneByOne);
    }

    /**
     * Stores each message of a delivery alone; the delivery is acked once each is stored or moved
     * on as a failed try.
     */
    private void persistOneByOne(Delivery d, List<Object> messages) {
        boolean settled = true;
        for (Object message : messages) {
            try {
                if (message instanceof RoomMessage r)
                    store.insertIgnoringDuplicates(List.of(r), List.of());
                else store.insertIgnoringDuplicates(List.of(), List.of((DirectMessage) message));
                counters.persisted(1);
            } catch (RuntimeException e) {
                settled &=
                        queues.failPart(
                                        d,
                                        json(message),
                                        e.getMessage() != null ? e.getMessage() : e.toString())
                                != WorkQueue.Outcome.KEPT;
            }
        }
        if (settled) d.ack();
        else d.requeue(); // stored ones are ignored as duplicates when it comes again
    }

    private static byte[] json(Object message) {
        return (message instanceof RoomMessage r
                        ? r.json()
                        : MessageJson.direct((DirectMessage) message).toString())
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A journal batch (a JSON array) or one message (a retried or replayed one); null when it is
     * neither.
     */
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
        return "message".equals(json.getString("type", ""))
                ? MessageJson.parseRoom(json)
                : MessageJson.parseDirect(json);
    }

    /** Messages waiting to be stored and messages that failed every try, for {@code /stats}. */
    public Map<String, Long> queueDepths() {
        if (queues == null) return Map.of();
        try {
            return queues.depths();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Stops taking messages, stores what it holds, and leaves the rest to the other nodes. */
    @PreDestroy
    void stop() {
        if (consumer == null) return;
        consumer.stop();
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
