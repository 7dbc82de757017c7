package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.node.Counters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a cluster node's batch becomes durable: the database while it answers, else the broker. */
class StoreFirstJournalTest {
    private static final List<RoomMessage> BATCH =
            List.of(
                    new RoomMessage(
                            "m1",
                            new RoomName("sf-room"),
                            1,
                            new UserId("sf-ann"),
                            "Ann",
                            "hello",
                            Instant.EPOCH,
                            "n1"));

    static final class FakeStore extends MessageStore {
        final List<RoomMessage> stored = new ArrayList<>();
        boolean up = true;
        boolean refuses;
        int tries;

        @Override
        public void insertIgnoringDuplicates(
                List<RoomMessage> rooms, List<DirectMessage> directs, int timeoutSeconds) {
            tries++;
            if (!up) throw new IllegalStateException("connection refused");
            if (refuses)
                throw new IllegalStateException("duplicate key value violates unique constraint");
            stored.addAll(rooms);
        }

        @Override
        public boolean reachable() {
            return up;
        }
    }

    static final class FakeBroker implements MessageJournal {
        final List<RoomMessage> published = new ArrayList<>();
        boolean up = true;

        @Override
        public void write(List<RoomMessage> rooms, List<DirectMessage> directs) {
            if (!up) throw new IllegalStateException("broker down");
            published.addAll(rooms);
        }

        @Override
        public boolean available() {
            return up;
        }
    }

    static final class CountingCounters extends Counters {
        int persisted;

        @Override
        public void persisted(int messages) {
            persisted += messages;
        }
    }

    private final FakeStore store = new FakeStore();
    private final FakeBroker broker = new FakeBroker();
    private final CountingCounters counters = new CountingCounters();
    private final StoreFirstJournal journal = new StoreFirstJournal(store, broker, counters);

    @Test
    void a_batch_is_committed_in_the_database_when_it_answers_and_not_sent_to_the_broker() {
        journal.write(BATCH, List.of());
        assertEquals(BATCH, store.stored);
        assertEquals(List.of(), broker.published);
        assertEquals(1, counters.persisted);
    }

    @Test
    void with_the_database_down_batches_go_to_the_broker_and_skip_the_database_for_a_while() {
        store.up = false;
        journal.write(BATCH, List.of());
        journal.write(BATCH, List.of());
        assertEquals(2 * BATCH.size(), broker.published.size());
        assertEquals(1, store.tries, "the second batch did not wait for the database again");
        assertEquals(0, counters.persisted);
    }

    @Test
    void
            a_batch_the_database_refuses_while_it_answers_goes_to_the_broker_whose_persisters_sort_it_out() {
        store.refuses = true;
        journal.write(BATCH, List.of());
        assertEquals(BATCH, broker.published);
        store.refuses = false;
        journal.write(BATCH, List.of());
        assertEquals(BATCH, store.stored, "the next batch goes to the database again at once");
    }

    @Test
    void with_the_broker_down_a_batch_is_refused_even_though_the_database_would_take_it() {
        broker.up = false;
        assertThrows(IllegalStateException.class, () -> journal.write(BATCH, List.of()));
        assertEquals(List.of(), store.stored);
        assertFalse(journal.available());
    }
}
