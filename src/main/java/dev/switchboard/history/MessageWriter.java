package dev.switchboard.history;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TimeOrderedIds;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: one thread stores whatever is waiting (up to {@code batch-size}) through the {@link
 * MessageJournal} and hands the result on as a {@link StoredBatch}. The contract's room guarantees
 * come from here: an ack means stored (the fan-out sees a message only after its commit), seq +1
 * per message (reserved per room per batch, given back when the batch fails), per-sender order (one
 * FIFO queue). The queue is bounded, so a slow store refuses senders ({@code unavailable}) instead
 * of filling the heap; the {@link BatchFanOut} runs on a second thread, at most {@link
 * #REPORT_BACKLOG} batches behind, so one batch is stored while the last is delivered.
 */
@ApplicationScoped
public class MessageWriter {
    private static final Logger LOG = Logger.getLogger(MessageWriter.class.getName());
    private static final long[] RETRY_BACKOFF_MS = {50, 250, 1000};
    private static final long RETRY_AFTER_MS = 1000;
    static final int REPORT_BACKLOG = 4;

    @Inject MessageStore store;
    @Inject MessageJournal journal;
    @Inject HistorySettings settings;
    @Inject SeqCounter seqs;
    @Inject BatchFanOut fanOut;
    @Resource ManagedThreadFactory threads;

    /** Waits between tries of a batch; shorter in the unit tests. */
    long[] retryBackoffMs = RETRY_BACKOFF_MS;

    private final TimeOrderedIds ids = new TimeOrderedIds();
    private BlockingQueue<Submission> queue;
    private Thread thread;
    private volatile boolean running;
    private final BlockingQueue<StoredBatch> reports = new ArrayBlockingQueue<>(REPORT_BACKLOG);
    private Thread reporter;
    private volatile boolean writerStopped;

    void start(@Observes Startup startup) {
        queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        running = true;
        thread =
                threads.newThread(
                        new BatchLoop<>(
                                "message writer",
                                queue,
                                settings.batchSize(),
                                () -> running,
                                this::write));
        thread.setName("switchboard-message-writer");
        reporter = threads.newThread(this::reportLoop);
        reporter.setName("switchboard-message-reporter");
        reporter.start();
        thread.start();
    }

    /**
     * Hands each stored batch to the fan-out, in order, until the writer has stopped and nothing is
     * left.
     */
    private void reportLoop() {
        while (true) {
            StoredBatch batch;
            try {
                batch = reports.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch != null) fanOut(batch);
            else if (writerStopped) return;
        }
    }

    /** A fan-out that throws must not cost the later batches their delivery. */
    private void fanOut(StoredBatch batch) {
        try {
            fanOut.fanOut(batch);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delivery after commit failed", e);
        }
    }

    public String newId(long nowMillis) {
        return ids.next(nowMillis);
    }

    /**
     * Queues a message; a room message's seq is assigned when it is stored. Its outcome reaches the
     * fan-out with {@code replyTo}.
     *
     * @throws SwitchboardException {@code unavailable} when the queue is full or the writer stopped
     */
    public void submit(ChatMessage message, ReplyTo replyTo) {
        if (!running || !queue.offer(new Submission(message, replyTo))) {
            throw new SwitchboardException(
                    ErrorCode.UNAVAILABLE,
                    "the message store is not keeping up; try again",
                    RETRY_AFTER_MS);
        }
    }

    private void write(List<Submission> batch) throws InterruptedException {
        Map<RoomName, long[]> reserved;
        try {
            reserved = reserveSeqs(batch);
        } catch (RuntimeException e) {
            hand(refuseAll(batch, "the seq counter is unavailable", e));
            return;
        }
        List<Submission> numbered = numbered(batch, reserved);
        List<RoomMessage> roomMessages = new ArrayList<>();
        List<DirectMessage> directMessages = new ArrayList<>();
        for (Submission s : numbered) {
            if (s.message() instanceof RoomMessage m) roomMessages.add(m);
            else directMessages.add((DirectMessage) s.message());
        }
        for (int attempt = 0; ; attempt++) {
            try {
                journal.write(roomMessages, directMessages);
                break;
            } catch (RuntimeException e) {
                if (attempt >= retryBackoffMs.length) {
                    if (batch.size() > 1 && journal.available()) {
                        hand(writeOneByOne(numbered, e));
                        return;
                    }
                    reserved.forEach((room, range) -> seqs.release(room, range[0], (int) range[1]));
                    hand(refuseAll(batch, "the message store is unavailable", e));
                    return;
                }
                Thread.sleep(retryBackoffMs[attempt]);
            }
        }
        hand(new StoredBatch(numbered, List.of()));
    }

    /**
     * The batch in submit order, each room message with its seq: the room's reserved range, in
     * order.
     */
    private static List<Submission> numbered(
            List<Submission> batch, Map<RoomName, long[]> reserved) {
        Map<RoomName, Long> next = new HashMap<>();
        reserved.forEach((room, range) -> next.put(room, range[0]));
        List<Submission> numbered = new ArrayList<>(batch.size());
        for (Submission s : batch) {
            if (s.message() instanceof RoomMessage m) {
                numbered.add(
                        new Submission(
                                m.withSeq(next.merge(m.room(), 1L, Long::sum) - 1), s.replyTo()));
            } else {
                numbered.add(s);
            }
        }
        return numbered;
    }

    /**
     * Queues a batch for the fan-out, waiting while it is {@link #REPORT_BACKLOG} batches behind.
     */
    private void hand(StoredBatch batch) throws InterruptedException {
        reports.put(batch);
    }

    /**
     * The journal answers but refused the batch: one message of it is bad. Each is written alone so
     * the others are not refused with it; the bad one is answered {@code internal} (its seq stays
     * unused).
     */
    private StoredBatch writeOneByOne(List<Submission> numbered, RuntimeException cause) {
        LOG.warning(
                "a batch of "
                        + numbered.size()
                        + " was refused while the store answers ("
                        + cause.getMessage()
                        + "): writing one by one");
        var reason =
                new SwitchboardException(ErrorCode.INTERNAL, "the message could not be stored");
        List<Submission> stored = new ArrayList<>(numbered.size());
        List<StoredBatch.Refusal> refused = new ArrayList<>();
        for (Submission s : numbered) {
            try {
                if (s.message() instanceof RoomMessage m) journal.write(List.of(m), List.of());
                else journal.write(List.of(), List.of((DirectMessage) s.message()));
                stored.add(s);
            } catch (RuntimeException e) {
                LOG.warning(
                        "message " + s.message().id() + " refused by the store: " + e.getMessage());
                refused.add(new StoredBatch.Refusal(s, reason));
            }
        }
        return new StoredBatch(stored, refused);
    }

    /** One reservation per room in the batch: {first seq, count}. */
    private Map<RoomName, long[]> reserveSeqs(List<Submission> batch) {
        Map<RoomName, Integer> counts = new HashMap<>();
        for (Submission s : batch)
            if (s.message() instanceof RoomMessage m) counts.merge(m.room(), 1, Integer::sum);
        Map<RoomName, long[]> reserved = new HashMap<>();
        counts.forEach(
                (room, count) ->
                        reserved.put(
                                room,
                                new long[] {
                                    seqs.reserve(room, count, () -> store.maxSeq(room)), count
                                }));
        return reserved;
    }

    private static StoredBatch refuseAll(
            List<Submission> batch, String why, RuntimeException cause) {
        LOG.warning(why + ": " + batch.size() + " messages refused: " + cause);
        var unavailable =
                new SwitchboardException(
                        ErrorCode.UNAVAILABLE, why + "; try again", RETRY_AFTER_MS);
        return new StoredBatch(
                List.of(),
                batch.stream().map(s -> new StoredBatch.Refusal(s, unavailable)).toList());
    }

    /** Stores what is queued, then lets the reporting thread deliver and ack it before both end. */
    @PreDestroy
    void stop() {
        running = false;
        try {
            if (thread != null) thread.join(TimeUnit.SECONDS.toMillis(5));
            writerStopped = true;
            if (reporter != null) reporter.join(TimeUnit.SECONDS.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
