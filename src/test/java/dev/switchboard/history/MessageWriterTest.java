package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's rules, with an in-memory journal and seq counter: what reaches the fan-out, and
 * when.
 */
class MessageWriterTest {
    private static final RoomName ROOM = new RoomName("mw-lobby");
    private static final RoomName OTHER_ROOM = new RoomName("mw-ops");
    private static final UserId ANN = new UserId("mw-ann");
    private static final UserId BOB = new UserId("mw-bob");

    private final LinkedBlockingQueue<StoredBatch> batches = new LinkedBlockingQueue<>();
    private final InMemoryHistory history = new InMemoryHistory(batches::add);
    private final MessageWriter writer = history.writer;

    @AfterEach
    void stop() {
        history.stop();
    }

    private RoomMessage draft(RoomName room, String text) {
        Instant now = Instant.now();
        return new RoomMessage(
                writer.newId(now.toEpochMilli()), room, 0, ANN, "Ann", text, now, "n1");
    }

    private DirectMessage direct(String text) {
        Instant now = Instant.now();
        return new DirectMessage(
                writer.newId(now.toEpochMilli()), ANN, "Ann", BOB, text, now, "n1");
    }

    private static ReplyTo replyTo(String ref) {
        return new ReplyTo("mw-socket", ref);
    }

    private StoredBatch nextBatch() throws InterruptedException {
        StoredBatch batch = batches.poll(5, TimeUnit.SECONDS);
        assertNotNull(batch, "a batch reached the fan-out");
        return batch;
    }

    /**
     * Submits {@code first} alone, then {@code rest} while the journal holds the first: they form
     * the next batch.
     */
    private void submitInTwoBatches(Submission first, List<Submission> rest)
            throws InterruptedException {
        history.journal.hold();
        writer.submit(first.message(), first.replyTo());
        history.journal.awaitHeld();
        for (Submission s : rest) writer.submit(s.message(), s.replyTo());
        history.journal.open();
    }

    @Test
    void a_stored_batch_reaches_the_fan_out_whole_in_submit_order_with_seqs_one_up_per_room()
            throws Exception {
        history.start();
        List<Submission> rest =
                List.of(
                        new Submission(draft(ROOM, "two"), replyTo("r2")),
                        new Submission(draft(OTHER_ROOM, "elsewhere"), replyTo("r3")),
                        new Submission(direct("psst"), replyTo("r4")),
                        new Submission(draft(ROOM, "three"), replyTo("r5")));
        submitInTwoBatches(new Submission(draft(ROOM, "one"), replyTo("r1")), rest);

        StoredBatch first = nextBatch();
        assertEquals(1, first.stored().size());
        assertEquals(1, ((RoomMessage) first.stored().get(0).message()).seq());
        StoredBatch second = nextBatch();
        assertEquals(List.of(), second.refused());
        assertEquals(
                List.of("r2", "r3", "r4", "r5"),
                second.stored().stream().map(s -> s.replyTo().ref()).toList(),
                "submit order");
        assertEquals(2, ((RoomMessage) second.stored().get(0).message()).seq());
        assertEquals(
                1,
                ((RoomMessage) second.stored().get(1).message()).seq(),
                "each room counts its own");
        assertEquals("psst", second.stored().get(2).message().text());
        assertEquals(3, ((RoomMessage) second.stored().get(3).message()).seq());
        assertEquals(2, history.journal.writes(), "one journal write per batch");
    }

    @Test
    void one_senders_messages_keep_their_order_across_batches() throws Exception {
        history.start();
        for (int i = 0; i < 200; i++) writer.submit(draft(ROOM, "m" + i), replyTo("r" + i));
        List<Submission> stored = new ArrayList<>();
        while (stored.size() < 200) stored.addAll(nextBatch().stored());
        for (int i = 0; i < 200; i++) {
            assertEquals("m" + i, stored.get(i).message().text());
            assertEquals(i + 1, ((RoomMessage) stored.get(i).message()).seq());
        }
    }

    @Test
    void a_batch_the_store_cannot_take_is_refused_unavailable_and_its_seqs_are_given_back()
            throws Exception {
        history.journal.failing(true);
        history.start();
        writer.submit(draft(ROOM, "lost"), replyTo("r1"));

        StoredBatch failed = nextBatch();
        assertEquals(List.of(), failed.stored());
        assertEquals(1, failed.refused().size());
        assertEquals(ErrorCode.UNAVAILABLE, failed.refused().get(0).reason().code());
        assertEquals("r1", failed.refused().get(0).submission().replyTo().ref());
        assertEquals(4, history.journal.writes(), "tried once and retried three times");

        history.journal.failing(false);
        writer.submit(draft(ROOM, "kept"), replyTo("r2"));
        assertEquals(
                1,
                ((RoomMessage) nextBatch().stored().get(0).message()).seq(),
                "the refused message's seq is used again: no gap");
    }

    @Test
    void a_bad_message_is_refused_alone_and_the_rest_of_its_batch_is_stored() throws Exception {
        history.start();
        history.journal.refuse("bad");
        submitInTwoBatches(
                new Submission(draft(ROOM, "one"), replyTo("r1")),
                List.of(
                        new Submission(draft(ROOM, "two"), replyTo("r2")),
                        new Submission(draft(ROOM, "bad"), replyTo("r3")),
                        new Submission(direct("four"), replyTo("r4"))));

        nextBatch();
        StoredBatch mixed = nextBatch();
        assertEquals(
                List.of("r2", "r4"), mixed.stored().stream().map(s -> s.replyTo().ref()).toList());
        assertEquals(1, mixed.refused().size());
        assertEquals("r3", mixed.refused().get(0).submission().replyTo().ref());
        assertEquals(ErrorCode.INTERNAL, mixed.refused().get(0).reason().code());
        assertEquals(
                List.of("one", "two"),
                history.stored(ROOM).stream().map(RoomMessage::text).toList());
    }

    @Test
    void with_the_seq_counter_down_every_message_of_the_batch_is_refused_unavailable()
            throws Exception {
        writer.seqs =
                new InMemorySeqCounter() {
                    @Override
                    public long reserve(
                            RoomName room, int count, java.util.function.LongSupplier storedMax) {
                        throw new IllegalStateException("redis down");
                    }
                };
        history.start();
        writer.submit(draft(ROOM, "one"), replyTo("r1"));

        StoredBatch batch = nextBatch();
        assertEquals(List.of(), batch.stored());
        assertEquals(ErrorCode.UNAVAILABLE, batch.refused().get(0).reason().code());
        assertEquals(0, history.journal.writes());
    }

    @Test
    void a_full_queue_refuses_the_submit_with_unavailable() throws Exception {
        history.start();
        history.journal.hold();
        writer.submit(draft(ROOM, "held"), replyTo("r0"));
        history.journal.awaitHeld();
        SwitchboardException refused = null;
        for (int i = 0; i <= 1000 && refused == null; i++) {
            try {
                writer.submit(draft(ROOM, "m" + i), replyTo("r" + i));
            } catch (SwitchboardException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "the queue (capacity 1000) filled up");
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        assertTrue(refused.retryAfterMs() > 0);
    }

    @Test
    void a_stopped_writer_refuses_submits_after_storing_what_it_held() throws Exception {
        history.start();
        writer.submit(draft(ROOM, "last"), replyTo("r1"));
        history.stop();
        assertEquals(
                List.of("last"), history.stored(ROOM).stream().map(RoomMessage::text).toList());
        assertEquals(1, nextBatch().stored().size(), "the fan-out got it before the stop ended");
        assertThrows(
                SwitchboardException.class,
                () -> writer.submit(draft(ROOM, "late"), replyTo("r2")));
    }
}
