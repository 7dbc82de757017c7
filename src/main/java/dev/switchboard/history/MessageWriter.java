package dev.switchboard.history;

import dev.switchboard.TimeOrderedIds;
import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
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
 * Group commit: one thread takes whatever messages are waiting (up to {@code batch-size}) and makes
 * them durable at once through the {@link MessageJournal} (one transaction standalone, one confirmed
 * broker publish in a cluster), then reports each one in order. This is where the contract's room
 * guarantees come from:
 * <ul>
 * <li>an {@code ack} means stored: callbacks run only after the commit;</li>
 * <li>seq +1 per accepted message: seqs are reserved here, one reservation per room per batch, and
 * given back when the batch cannot be stored (a standalone node then has no gap);</li>
 * <li>per-sender order: one socket's frames are submitted in order and this queue is FIFO.</li>
 * </ul>
 * The queue is bounded ({@code queue-capacity}); when it is full a submit is refused with
 * {@code unavailable}, so a slow database pushes back on senders instead of filling the heap.
 * <p>
 * Reporting (the callbacks, then the after-batch hook: fan-out and acks) runs on a second thread,
 * in batch order, so the next batch is being stored while the last one is delivered. At most
 * {@link #REPORT_BACKLOG} stored batches wait for it; beyond that the writer waits too.
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
    @Resource ManagedThreadFactory threads;

    private final TimeOrderedIds ids = new TimeOrderedIds();
    private volatile Runnable afterBatch = () -> { };
    private BlockingQueue<PendingWrite> queue;
    private Thread thread;
    private volatile boolean running;
    private final BlockingQueue<List<Runnable>> reports = new ArrayBlockingQueue<>(REPORT_BACKLOG);
    private Thread reporter;
    private volatile boolean writerStopped;

    void start(@Observes Startup startup) {
        queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        running = true;
        thread = threads.newThread(new BatchLoop<>("message writer", queue, settings.batchSize(), () -> running, this::write));
        thread.setName("switchboard-message-writer");
        reporter = threads.newThread(this::reportLoop);
        reporter.setName("switchboard-message-reporter");
        reporter.start();
        thread.start();
    }

    /** Runs each stored batch's callbacks and hook, in order, until the writer has stopped and nothing is left. */
    private void reportLoop() {
        while (true) {
            List<Runnable> batch;
            try {
                batch = reports.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch != null) batch.forEach(MessageWriter::report);
            else if (writerStopped) return;
        }
    }

    /**
     * Runs on the reporting thread after the callbacks of each stored batch, so the caller can
     * finish the whole batch at once (one publish with one confirm round trip, then the acks).
     * Callbacks and this hook all run on that one thread.
     */
    public void afterEachBatch(Runnable hook) {
        this.afterBatch = hook;
    }

    public String newId(long nowMillis) {
        return ids.next(nowMillis);
    }

    /** Queues a room message; its seq is assigned when it is stored. */
    public void submit(RoomMessage draft, WriteCallback<RoomMessage> callback) {
        offer(new PendingWrite(draft, null, callback, null));
    }

    public void submit(DirectMessage message, WriteCallback<DirectMessage> callback) {
        offer(new PendingWrite(null, message, null, callback));
    }

    private void offer(PendingWrite write) {
        if (!running || !queue.offer(write)) {
            throw new SwitchboardException(ErrorCode.UNAVAILABLE, "the message store is not keeping up; try again", RETRY_AFTER_MS);
        }
    }

    private void write(List<PendingWrite> batch) throws InterruptedException {
        List<RoomMessage> roomMessages = new ArrayList<>();
        List<DirectMessage> directMessages = new ArrayList<>();
        Map<RoomName, long[]> reserved;
        try {
            reserved = reserveSeqs(batch);
        } catch (RuntimeException e) {
            hand(failAll(batch, "the seq counter is unavailable", e));
            return;
        }
        Map<RoomName, Long> next = new HashMap<>();
        reserved.forEach((room, range) -> next.put(room, range[0]));
        for (PendingWrite w : batch) {
            if (w.room() != null) roomMessages.add(w.room().withSeq(next.merge(w.room().room(), 1L, Long::sum) - 1));
            else directMessages.add(w.direct());
        }
        for (int attempt = 0; ; attempt++) {
            try {
                journal.write(roomMessages, directMessages);
                break;
            } catch (RuntimeException e) {
                if (attempt >= RETRY_BACKOFF_MS.length) {
                    if (batch.size() > 1 && journal.available()) {
                        hand(writeOneByOne(batch, roomMessages, e));
                        return;
                    }
                    reserved.forEach((room, range) -> seqs.release(room, range[0], (int) range[1]));
                    hand(failAll(batch, "the message store is unavailable", e));
                    return;
                }
                Thread.sleep(RETRY_BACKOFF_MS[attempt]);
            }
        }
        List<Runnable> report = new ArrayList<>(batch.size() + 1);
        int r = 0;
        for (PendingWrite w : batch) {
            if (w.room() != null) {
                RoomMessage stored = roomMessages.get(r++);
                report.add(() -> w.roomCallback().stored(stored));
            } else {
                report.add(() -> w.directCallback().stored(w.direct()));
            }
        }
        report.add(afterBatch);
        hand(report);
    }

    /** Queues a batch's callbacks for the reporting thread, waiting while it is {@link #REPORT_BACKLOG} batches behind. */
    private void hand(List<Runnable> report) throws InterruptedException {
        reports.put(report);
    }

    /**
     * The journal answers but refused the batch: one message of it is bad. Each is written alone so
     * the others are not refused with it; the bad one is answered {@code internal} (its seq stays unused).
     */
    private List<Runnable> writeOneByOne(List<PendingWrite> batch, List<RoomMessage> roomMessages, RuntimeException cause) {
        List<Runnable> report = new ArrayList<>(batch.size() + 1);
        LOG.warning("a batch of " + batch.size() + " was refused while the store answers (" + cause.getMessage() + "): writing one by one");
        var refused = new SwitchboardException(ErrorCode.INTERNAL, "the message could not be stored");
        int r = 0;
        for (PendingWrite w : batch) {
            RoomMessage room = w.room() != null ? roomMessages.get(r++) : null;
            try {
                journal.write(room != null ? List.of(room) : List.of(), room != null ? List.of() : List.of(w.direct()));
                report.add(() -> {
                    if (room != null) w.roomCallback().stored(room);
                    else w.directCallback().stored(w.direct());
                });
            } catch (RuntimeException e) {
                LOG.warning("message " + (room != null ? room.id() : w.direct().id()) + " refused by the store: " + e.getMessage());
                report.add(() -> w.fail(refused));
            }
        }
        report.add(afterBatch);
        return report;
    }

    /** One reservation per room in the batch: {first seq, count}. */
    private Map<RoomName, long[]> reserveSeqs(List<PendingWrite> batch) {
        Map<RoomName, Integer> counts = new HashMap<>();
        for (PendingWrite w : batch) if (w.room() != null) counts.merge(w.room().room(), 1, Integer::sum);
        Map<RoomName, long[]> reserved = new HashMap<>();
        counts.forEach((room, count) -> reserved.put(room, new long[]{seqs.reserve(room, count, () -> store.maxSeq(room)), count}));
        return reserved;
    }

    private List<Runnable> failAll(List<PendingWrite> batch, String why, RuntimeException cause) {
        LOG.warning(why + ": " + batch.size() + " messages refused: " + cause);
        var unavailable = new SwitchboardException(ErrorCode.UNAVAILABLE, why + "; try again", RETRY_AFTER_MS);
        List<Runnable> report = new ArrayList<>(batch.size());
        batch.forEach(w -> report.add(() -> w.fail(unavailable)));
        return report;
    }

    /** A callback that throws must not cost the rest of the batch its delivery. */
    private static void report(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delivery after commit failed", e);
        }
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

    private record PendingWrite(RoomMessage room, DirectMessage direct,
                                WriteCallback<RoomMessage> roomCallback, WriteCallback<DirectMessage> directCallback) {
        void fail(SwitchboardException reason) {
            if (roomCallback != null) roomCallback.failed(reason);
            else directCallback.failed(reason);
        }
    }
}
