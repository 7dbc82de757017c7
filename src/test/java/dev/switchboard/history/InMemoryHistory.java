package dev.switchboard.history;

import dev.switchboard.RoomName;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The history feature as a standalone node has it, without a container: a writer on plain threads
 * over an in-memory journal and seq counter, and the history reads over the same messages. Public
 * for the chat tests, which drive the whole pipeline through it.
 */
public final class InMemoryHistory {
    public final MessageWriter writer = new MessageWriter();
    public final HistoryService history = new HistoryService();
    public final Journal journal = new Journal();
    public final InMemorySeqCounter seqs = new InMemorySeqCounter();
    final HistoryServiceTest.ListMessageStore store = new HistoryServiceTest.ListMessageStore();

    /**
     * The journal a standalone node has (the store), which a test can make fail, refuse one
     * message, or hold.
     */
    public static final class Journal implements MessageJournal {
        private final List<RoomMessage> rooms = new ArrayList<>();
        private final List<DirectMessage> directs = new ArrayList<>();
        private final AtomicInteger writes = new AtomicInteger();
        volatile boolean down;
        volatile String refusedText;
        private volatile CountDownLatch entered = new CountDownLatch(0);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void write(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
            writes.incrementAndGet();
            entered.countDown();
            try {
                if (!gate.await(10, TimeUnit.SECONDS))
                    throw new IllegalStateException("the test never opened the gate");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (down) throw new IllegalStateException("store down");
            if (refusedText != null) {
                for (RoomMessage m : roomMessages)
                    if (m.text().equals(refusedText))
                        throw new IllegalStateException("refused " + m.id());
            }
            synchronized (this) {
                rooms.addAll(roomMessages);
                directs.addAll(directMessages);
            }
        }

        @Override
        public boolean available() {
            return !down;
        }

        public void failing(boolean failing) {
            down = failing;
        }

        /** The store refuses any batch holding a room message with this text, while it answers. */
        public void refuse(String text) {
            refusedText = text;
        }

        /**
         * The next write waits until {@link #open()}: whatever is submitted meanwhile goes in one
         * batch after it.
         */
        public void hold() {
            entered = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        /** Waits until the held write has begun. */
        public void awaitHeld() throws InterruptedException {
            if (!entered.await(5, TimeUnit.SECONDS))
                throw new AssertionError("the writer never wrote");
        }

        public void open() {
            gate.countDown();
        }

        public int writes() {
            return writes.get();
        }

        public synchronized List<RoomMessage> roomMessages() {
            return List.copyOf(rooms);
        }

        public synchronized List<DirectMessage> directMessages() {
            return List.copyOf(directs);
        }
    }

    public InMemoryHistory(BatchFanOut fanOut) {
        var settings = new HistorySettings();
        settings.onJoin = 50;
        settings.recoverMax = 1000;
        settings.batchSize = 500;
        settings.queueCapacity = 1000;
        var recent = new InMemoryRecentHistory(100, 100);
        history.store = store;
        history.settings = settings;
        history.recent = recent;
        history.seqs = seqs;
        writer.store = store;
        writer.journal =
                new MessageJournal() {
                    @Override
                    public void write(
                            List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
                        journal.write(roomMessages, directMessages);
                        synchronized (store) {
                            store.rooms.addAll(roomMessages);
                            store.directs.addAll(directMessages);
                        }
                    }

                    @Override
                    public boolean available() {
                        return journal.available();
                    }
                };
        writer.settings = settings;
        writer.seqs = seqs;
        writer.fanOut = fanOut;
        writer.threads = new PlainThreads();
        writer.retryBackoffMs = new long[] {1, 1, 1};
    }

    public InMemoryHistory start() {
        writer.start(null);
        return this;
    }

    /** Stores what is queued and lets the fan-out finish, as at a node's stop. */
    public void stop() {
        journal.open();
        writer.stop();
    }

    public List<RoomMessage> stored(RoomName room) {
        return journal.roomMessages().stream().filter(m -> m.room().equals(room)).toList();
    }

    /** The container's managed threads stand in for plain ones here. */
    private static final class PlainThreads implements ManagedThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task);
            t.setDaemon(true);
            return t;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            throw new UnsupportedOperationException();
        }
    }
}
