package dev.switchboard.history;

import static dev.switchboard.history.PersistQueues.DEAD;
import static dev.switchboard.history.PersistQueues.PERSIST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.cluster.Delivery;
import dev.switchboard.cluster.InMemoryBroker;
import dev.switchboard.cluster.WorkQueue;
import dev.switchboard.node.Counters;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the cluster's persister stores, retries and dead-letters, on an in-memory broker and store.
 */
class PersisterTest {
    private static final RoomName ROOM = new RoomName("ps-room");
    private static final UserId ANN = new UserId("ps-ann");
    private static final UserId BOB = new UserId("ps-bob");

    /**
     * The two tables' rules: insert-or-ignore by id in one transaction, (room, seq) unique; and a
     * database that can be down.
     */
    static final class TableStore extends MessageStore {
        final Map<String, RoomMessage> rooms = new LinkedHashMap<>();
        final Map<String, DirectMessage> directs = new LinkedHashMap<>();
        int transactions;

        /** Inserts that fail as if the database were down, before it answers again. */
        int downFor;

        private boolean down;

        @Override
        public void insertIgnoringDuplicates(
                List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
            transactions++;
            down = downFor > 0;
            if (down) {
                downFor--;
                throw new IllegalStateException("connection refused");
            }
            Map<String, String> seqs = new LinkedHashMap<>();
            rooms.values().forEach(m -> seqs.put(m.room().value() + "/" + m.seq(), m.id()));
            for (RoomMessage m : roomMessages) {
                String taken = seqs.putIfAbsent(m.room().value() + "/" + m.seq(), m.id());
                if (taken != null && !taken.equals(m.id())) {
                    throw new IllegalStateException(
                            "batch insert failed: SQLState 23505, duplicate key (room, seq)=("
                                    + m.room().value()
                                    + ", "
                                    + m.seq()
                                    + ")");
                }
            }
            roomMessages.forEach(m -> rooms.putIfAbsent(m.id(), m));
            directMessages.forEach(m -> directs.putIfAbsent(m.id(), m));
        }

        @Override
        public boolean reachable() {
            return !down;
        }
    }

    static final class CountingCounters extends Counters {
        int persisted;

        @Override
        public void persisted(int messages) {
            persisted += messages;
        }
    }

    private final InMemoryBroker broker = new InMemoryBroker();
    private final TableStore store = new TableStore();
    private final CountingCounters counters = new CountingCounters();
    private final Persister persister = new Persister();
    private final List<Delivery> inbox = new ArrayList<>();

    @BeforeEach
    void wire() throws IOException {
        var settings = new HistorySettings();
        settings.persistTries = 3;
        persister.settings = settings;
        persister.store = store;
        persister.counters = counters;
        persister.queues = broker.workQueue(PERSIST, DEAD, PersistQueues.backoff(3));
        persister.queues.declare(Map.of());
        persister.queues.consume(16, inbox::add);
    }

    private static RoomMessage room(String id, long seq) {
        return new RoomMessage(
                id,
                ROOM,
                seq,
                ANN,
                "Ann",
                "text " + id,
                Instant.ofEpochMilli(1_700_000_000_000L + seq),
                "n1");
    }

    private static DirectMessage direct(String id) {
        return new DirectMessage(
                id, ANN, "Ann", BOB, "psst " + id, Instant.ofEpochMilli(1_700_000_000_000L), "n1");
    }

    /** A journal batch as {@link BrokerJournal} publishes it. */
    private static String batch(Object... messages) {
        List<String> json = new ArrayList<>();
        for (Object m : messages)
            json.add(
                    m instanceof RoomMessage r
                            ? r.json()
                            : MessageJson.direct((DirectMessage) m).toString());
        return "[" + String.join(",", json) + "]";
    }

    /** Runs the persister on what the broker has handed it so far, as its batch loop would. */
    private void persistWaiting() throws InterruptedException {
        List<Delivery> batch = new ArrayList<>(inbox);
        inbox.clear();
        persister.persist(batch);
    }

    private List<InMemoryBroker.Message> delayed() {
        List<InMemoryBroker.Message> all =
                new ArrayList<>(broker.messages(PERSIST + ".delay-200ms"));
        all.addAll(broker.messages(PERSIST + ".delay-400ms"));
        return all;
    }

    @Test
    void waiting_journal_batches_are_stored_in_one_transaction_then_acked() throws Exception {
        broker.publish(PERSIST, batch(room("r1", 1), room("r2", 2), direct("d1")));
        broker.publish(PERSIST, batch(room("r3", 3)));
        persistWaiting();
        assertEquals(List.of("r1", "r2", "r3"), List.copyOf(store.rooms.keySet()));
        assertEquals(List.of("d1"), List.copyOf(store.directs.keySet()));
        assertEquals("text r2", store.rooms.get("r2").text());
        assertEquals(1, store.transactions);
        assertEquals(4, counters.persisted);
        assertEquals(0, broker.unackedCount());
        assertEquals(Map.of("waiting", 0L, "retrying", 0L, "dead", 0L), persister.queueDepths());
    }

    @Test
    void a_batch_delivered_twice_is_stored_once_and_both_deliveries_are_acked() throws Exception {
        String twice = batch(room("r1", 1), direct("d1"));
        broker.publish(PERSIST, twice);
        persistWaiting();
        broker.publish(
                PERSIST,
                twice); // a node that stored it died before its ack: the broker delivers it again
        persistWaiting();
        assertEquals(1, store.rooms.size());
        assertEquals(1, store.directs.size());
        assertEquals(0, broker.unackedCount());
        assertEquals(List.of(), broker.messages(DEAD));
    }

    @Test
    void a_delivery_of_a_lost_connection_is_skipped_and_its_redelivery_stored() throws Exception {
        broker.publish(PERSIST, batch(room("r1", 1)));
        List<Delivery> old = new ArrayList<>(inbox);
        inbox.clear();
        broker.reconnect();
        persister.persist(old);
        assertEquals(
                0,
                store.transactions,
                "work on a stale delivery is wasted: the broker delivers it again");
        persistWaiting();
        assertEquals(List.of("r1"), List.copyOf(store.rooms.keySet()));
        assertEquals(0, broker.unackedCount());
    }

    @Test
    void a_body_that_is_not_a_message_batch_is_dead_lettered_and_the_others_stored()
            throws Exception {
        broker.publish(PERSIST, "{not json");
        broker.publish(PERSIST, batch(room("r1", 1)));
        persistWaiting();
        var dead = broker.messages(DEAD);
        assertEquals(1, dead.size());
        assertEquals("{not json", dead.get(0).text());
        assertEquals("not a message batch", dead.get(0).header(WorkQueue.ERROR_HEADER));
        assertEquals(List.of("r1"), List.copyOf(store.rooms.keySet()));
        assertEquals(0, broker.unackedCount());
    }

    @Test
    void a_message_the_store_refuses_is_retried_alone_and_the_rest_of_its_batch_stored()
            throws Exception {
        store.rooms.put("squatter", room("squatter", 2));
        broker.publish(PERSIST, batch(room("r1", 1), room("r2", 2), room("r3", 3)));
        persistWaiting();
        assertEquals(List.of("squatter", "r1", "r3"), List.copyOf(store.rooms.keySet()));
        var waiting = broker.messages(PERSIST + ".delay-200ms");
        assertEquals(1, waiting.size());
        assertEquals(room("r2", 2).json(), waiting.get(0).text(), "the refused message alone");
        assertEquals(1, waiting.get(0).header(WorkQueue.TRIES_HEADER));
        assertEquals(
                0,
                broker.unackedCount(),
                "the batch is acked once each message is stored or moved");
        assertEquals(2, counters.persisted);
    }

    @Test
    void after_its_last_try_a_refused_message_is_dead_lettered_with_the_error() throws Exception {
        store.rooms.put("squatter", room("squatter", 2));
        broker.publish(PERSIST, batch(room("r2", 2)));
        persistWaiting();
        broker.expireDelays();
        persistWaiting();
        assertEquals(
                2, broker.messages(PERSIST + ".delay-400ms").get(0).header(WorkQueue.TRIES_HEADER));
        broker.expireDelays();
        persistWaiting();
        var dead = broker.messages(DEAD);
        assertEquals(1, dead.size());
        assertEquals(room("r2", 2).json(), dead.get(0).text());
        assertEquals(3, dead.get(0).header(WorkQueue.TRIES_HEADER));
        assertTrue(
                ((String) dead.get(0).header(WorkQueue.ERROR_HEADER)).contains("(room, seq)"),
                "the store's error travels with it");
        assertEquals(List.of(), delayed());
        assertEquals(0, broker.unackedCount());
        assertEquals(List.of("squatter"), List.copyOf(store.rooms.keySet()));
    }

    @Test
    void with_the_database_down_a_batch_waits_unacked_and_is_stored_once_it_is_back()
            throws Exception {
        store.downFor = 2;
        persister.running = true;
        broker.publish(PERSIST, batch(room("r1", 1), room("r2", 2)));
        persistWaiting();
        assertEquals(3, store.transactions, "two failed, then the whole batch in one");
        assertEquals(List.of("r1", "r2"), List.copyOf(store.rooms.keySet()));
        assertEquals(0, broker.unackedCount());
        assertEquals(List.of(), delayed(), "an outage is not a failed try");
    }

    @Test
    void a_node_that_stops_while_the_database_is_down_leaves_its_batches_to_the_broker()
            throws Exception {
        store.downFor = Integer.MAX_VALUE;
        persister.running = false;
        broker.publish(PERSIST, batch(room("r1", 1)));
        persistWaiting();
        assertEquals(
                1,
                broker.unackedCount(),
                "unacked: the broker gives it to another node once the channel closes");
        assertEquals(List.of(), delayed());
        assertEquals(List.of(), broker.messages(DEAD));
    }

    @Test
    void a_refused_message_the_broker_does_not_take_keeps_its_batch_in_the_queue()
            throws Exception {
        store.rooms.put("squatter", room("squatter", 2));
        broker.publish(PERSIST, batch(room("r1", 1), room("r2", 2)));
        broker.refusesSends = true;
        persistWaiting();
        assertEquals(List.of(), delayed());
        assertEquals(1, inbox.size(), "given back to the queue, and delivered again");
        assertEquals(0, inbox.get(0).tries());
        broker.refusesSends = false;
        persistWaiting();
        assertEquals(
                List.of("squatter", "r1"), List.copyOf(store.rooms.keySet()), "r1 stored once");
        assertEquals(1, delayed().size());
        assertEquals(0, broker.unackedCount());
    }
}
