package dev.switchboard.chat;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One socket's outgoing frames. {@link #offer} never blocks: it queues and returns, and at most one
 * asynchronous send is in flight per socket, so one slow or dead client delays nobody else.
 * A backlog over the limit means the client cannot keep up: the queue refuses further frames and
 * calls its overflow action once (the socket is closed with 1013), instead of growing the heap.
 */
final class OutboundQueue {
    /** The socket's asynchronous write: calls {@code done} with null on success, with the failure otherwise. */
    interface Sink {
        void send(String frame, Completion done);
    }

    interface Completion {
        void completed(Throwable failure);
    }

    private final Queue<String> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int maxBacklog;
    private final Sink sink;
    private final Runnable onOverflow;

    OutboundQueue(int maxBacklog, Sink sink, Runnable onOverflow) {
        this.maxBacklog = maxBacklog;
        this.sink = sink;
        this.onOverflow = onOverflow;
    }

    /** @return false when the frame was dropped (queue closed, or over the limit, which closes it) */
    boolean offer(String frame) {
        if (closed.get()) return false;
        if (backlog.incrementAndGet() > maxBacklog) {
            backlog.decrementAndGet();
            if (closed.compareAndSet(false, true)) {
                frames.clear();
                onOverflow.run();
            }
            return false;
        }
        frames.add(frame);
        if (sending.compareAndSet(false, true)) pump();
        return true;
    }

    int backlog() {
        return backlog.get();
    }

    void close() {
        closed.set(true);
        frames.clear();
    }

    /**
     * Sends frames while this thread owns the {@code sending} flag. A send that completes inline goes
     * round the loop instead of recursing, so a fast client cannot overflow the stack; one that
     * completes later resumes pumping from its own callback.
     */
    private void pump() {
        while (true) {
            String next = frames.poll();
            if (next == null) {
                sending.set(false);
                // a frame offered after poll() but before set(false) found sending=true and left: take it
                if (frames.isEmpty() || !sending.compareAndSet(false, true)) return;
                continue;
            }
            backlog.decrementAndGet();
            if (closed.get()) {
                sending.set(false);
                return;
            }
            var handoff = new AtomicInteger();   // 0: neither side yet; the second to arrive continues
            sink.send(next, failure -> {
                if (failure != null) {
                    close();
                    sending.set(false);
                    return;
                }
                if (handoff.getAndIncrement() == 1) pump();
            });
            if (handoff.getAndIncrement() == 0) return;   // the callback comes later and carries on
        }
    }
}
