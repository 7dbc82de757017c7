package dev.switchboard.chat;

import java.time.Duration;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One socket's outgoing frames: {@link #offer} never blocks and one asynchronous send is in flight,
 * so a slow client delays nobody else. A completed send only means the server buffered the frame,
 * so every {@code pingEvery} frames a ping carries the count sent so far and the client's pong
 * confirms them (unconfirmed frames count once a ping waited {@link #PONG_GRACE}). Past the backlog
 * the queue refuses frames and calls its overflow action once (close 1013) instead of growing the
 * heap.
 */
final class OutboundQueue {
    /**
     * The socket's asynchronous write: calls {@code done} with null on success, with the failure
     * otherwise.
     */
    interface Sink {
        void send(String frame, Completion done);

        /**
         * Sends a WebSocket ping whose pong will carry {@code marker} back ({@link #confirmed}).
         */
        default void ping(long marker) {}
    }

    interface Completion {
        void completed(Throwable failure);
    }

    static final Duration PONG_GRACE = Duration.ofSeconds(5);

    private final Queue<String> frames = new ConcurrentLinkedQueue<>();

    /** Pings not yet answered: {marker, sent at nanos}, oldest first. */
    private final Deque<long[]> pings = new ConcurrentLinkedDeque<>();

    private final LongSupplier nanoClock;
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile long confirmed;

    /** A keep-alive ping is wanted: sent by whichever thread owns {@code sending} next. */
    private volatile boolean keepAliveWanted;

    /** Frames wait unsent until {@link #start()} (see {@link #hold()}). */
    private volatile boolean held;

    /**
     * Frames sent when the last ping went; touched only by the thread that owns {@code sending}.
     */
    private long pingedAt;

    private final int maxBacklog;
    private final int pingEvery;
    private final Sink sink;
    private final Runnable onOverflow;

    OutboundQueue(int maxBacklog, Sink sink, Runnable onOverflow) {
        this(maxBacklog, sink, onOverflow, System::nanoTime);
    }

    /** The marker of a keep-alive ping: its pong confirms no frames. */
    static final long KEEP_ALIVE_MARKER = -1;

    OutboundQueue(int maxBacklog, Sink sink, Runnable onOverflow, LongSupplier nanoClock) {
        this.maxBacklog = maxBacklog;
        this.pingEvery = Math.max(1, maxBacklog / 4);
        this.sink = sink;
        this.onOverflow = onOverflow;
        this.nanoClock = nanoClock;
    }

    /** The client's pong for a ping sent after {@code marker} frames: it has read them all. */
    void confirmed(long marker) {
        if (marker > confirmed && marker <= sent.get()) confirmed = marker;
        for (long[] ping = pings.peekFirst();
                ping != null && ping[0] <= marker;
                ping = pings.peekFirst()) pings.pollFirst();
    }

    /**
     * Over the limit unconfirmed, with a ping unanswered for longer than the grace: the client is
     * not reading.
     */
    boolean stalled() {
        long[] oldest = pings.peekFirst();
        return oldest != null
                && sent.get() - confirmed >= maxBacklog
                && nanoClock.getAsLong() - oldest[1] > PONG_GRACE.toNanos();
    }

    /** For a periodic check: a client that stalled after the last offer is closed too. */
    void overflowIfStalled() {
        if (stalled()) overflow();
    }

    private void overflow() {
        if (closed.compareAndSet(false, true)) {
            frames.clear();
            onOverflow.run();
        }
    }

    /**
     * @return false when the frame was dropped (queue closed, or over the limit, which closes it)
     */
    boolean offer(String frame) {
        if (closed.get()) return false;
        if (backlog.incrementAndGet() > maxBacklog || stalled()) {
            backlog.decrementAndGet();
            overflow();
            return false;
        }
        frames.add(frame);
        if (!held && sending.compareAndSet(false, true)) pump();
        return true;
    }

    /** From now on frames are queued in order but not sent until {@link #start()}. */
    void hold() {
        held = true;
    }

    /** Sends what was queued while held, and from then on as usual. */
    void start() {
        held = false;
        // an offer that saw held=true left its frame queued: take it (the flag and the queue are
        // read in the opposite order there)
        if ((!frames.isEmpty() || keepAliveWanted) && sending.compareAndSet(false, true)) pump();
    }

    /**
     * Asks the client for a pong without waiting for {@code pingEvery} frames: a quiet client that
     * answers is alive. Goes out through the sending thread, never beside a send in flight.
     */
    void keepAlive() {
        if (closed.get()) return;
        keepAliveWanted = true;
        if (!held && sending.compareAndSet(false, true)) pump();
    }

    /** Frames waiting here for their turn to be sent. */
    int backlog() {
        return backlog.get();
    }

    /** Frames handed to the server that the client has not confirmed reading. */
    long unconfirmed() {
        return sent.get() - confirmed;
    }

    void close() {
        closed.set(true);
        frames.clear();
    }

    /**
     * Sends frames while this thread owns the {@code sending} flag. A send that completes inline
     * goes round the loop instead of recursing, so a fast client cannot overflow the stack; one
     * that completes later resumes pumping from its own callback.
     */
    private void pump() {
        while (true) {
            if (keepAliveWanted) {
                keepAliveWanted = false;
                sink.ping(KEEP_ALIVE_MARKER);
            }
            if (sent.get() - pingedAt >= pingEvery) {
                pingedAt = sent.get();
                pings.addLast(new long[] {pingedAt, nanoClock.getAsLong()});
                sink.ping(pingedAt);
            }
            String next = frames.poll();
            if (next == null) {
                sending.set(false);
                // a frame offered after poll() but before set(false) found sending=true and left:
                // take it
                if (frames.isEmpty() || !sending.compareAndSet(false, true)) return;
                continue;
            }
            backlog.decrementAndGet();
            sent.incrementAndGet();
            if (closed.get()) {
                sending.set(false);
                return;
            }
            var handoff =
                    new AtomicInteger(); // 0: neither side yet; the second to arrive continues
            sink.send(
                    next,
                    failure -> {
                        if (failure != null) {
                            close();
                            sending.set(false);
                            return;
                        }
                        if (handoff.getAndIncrement() == 1) pump();
                    });
            if (handoff.getAndIncrement() == 0) return; // the callback comes later and carries on
        }
    }
}
