package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    /** A socket whose writes complete only when the test says so (or, once switched, at once). */
    static final class FakeSink implements OutboundQueue.Sink {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        private final ConcurrentLinkedQueue<OutboundQueue.Completion> pending =
                new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private volatile boolean completeInline;

        /** A reading client answers each ping with a pong; a stalled one never does. */
        volatile boolean pongs = true;

        volatile OutboundQueue queue;
        final List<Long> pings = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void ping(long marker) {
            pings.add(marker);
            if (pongs) queue.confirmed(marker);
        }

        static FakeSink inline() {
            var sink = new FakeSink();
            sink.completeInline = true;
            return sink;
        }

        @Override
        public void send(String frame, OutboundQueue.Completion done) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sent.add(frame);
            if (completeInline) {
                inFlight.decrementAndGet();
                done.completed(null);
            } else {
                pending.add(done);
            }
        }

        /** Completes the oldest pending write. */
        void completeNext(Throwable failure) {
            var done = pending.poll();
            if (done == null) throw new AssertionError("no write in flight");
            inFlight.decrementAndGet();
            done.completed(failure);
        }

        void completeNext() {
            completeNext(null);
        }

        void switchToInline() {
            completeInline = true;
        }

        int pending() {
            return pending.size();
        }
    }

    private final AtomicInteger overflows = new AtomicInteger();

    private OutboundQueue queue(int maxBacklog, OutboundQueue.Sink sink) {
        var queue = new OutboundQueue(maxBacklog, sink, overflows::incrementAndGet);
        if (sink instanceof FakeSink fake) fake.queue = queue;
        return queue;
    }

    @Test
    void
            a_keep_alive_ping_goes_out_at_once_on_an_idle_queue_and_after_the_send_in_flight_on_a_busy_one() {
        var sink = new FakeSink();
        var queue = queue(100, sink);
        queue.keepAlive();
        assertEquals(List.of(OutboundQueue.KEEP_ALIVE_MARKER), sink.pings, "idle: pinged at once");

        queue.offer("a"); // in flight until the test completes it
        queue.offer("b");
        queue.keepAlive();
        assertEquals(1, sink.pings.size(), "never beside a send in flight");
        sink.completeNext();
        assertEquals(2, sink.pings.size(), "the sending thread pings before its next frame");
        assertEquals(List.of("a", "b"), sink.sent);
        sink.completeNext();
        assertEquals(2, queue.unconfirmed(), "a keep-alive pong confirms no frames");
    }

    @Test
    void
            a_client_that_stops_reading_is_over_the_limit_once_its_ping_goes_unanswered_past_the_grace() {
        var sink = FakeSink.inline(); // the server buffers every frame at once, as Payara does
        sink.pongs = false; // but the client never reads, so it never answers a ping
        long[] now = {0};
        var queue = new OutboundQueue(100, sink, overflows::incrementAndGet, () -> now[0]);
        sink.queue = queue;

        for (int i = 0; i < 150; i++)
            assertTrue(queue.offer("f" + i), "within the grace a burst is not yet a stall");
        assertFalse(sink.pings.isEmpty(), "the queue asked the client to confirm");
        now[0] += OutboundQueue.PONG_GRACE.toNanos() + 1;

        assertFalse(queue.offer("after the grace"));
        assertEquals(1, overflows.get());
    }

    @Test
    void a_client_that_stalls_after_the_last_offer_is_found_by_the_periodic_check() {
        var sink = FakeSink.inline();
        sink.pongs = false;
        long[] now = {0};
        var queue = new OutboundQueue(100, sink, overflows::incrementAndGet, () -> now[0]);
        sink.queue = queue;
        for (int i = 0; i < 120; i++) queue.offer("f" + i);

        queue.overflowIfStalled();
        assertEquals(0, overflows.get(), "not before the grace");
        now[0] += OutboundQueue.PONG_GRACE.toNanos() + 1;
        queue.overflowIfStalled();
        queue.overflowIfStalled();

        assertEquals(1, overflows.get());
    }

    @Test
    void pongs_confirm_what_the_client_has_read() {
        var sink = FakeSink.inline();
        var queue = queue(100, sink);

        for (int i = 0; i < 10_000; i++)
            assertTrue(queue.offer("f" + i), "a reading client is never over the limit");

        assertEquals(0, overflows.get());
        assertTrue(
                queue.unconfirmed() <= 25,
                "unconfirmed frames stay within one ping interval: " + queue.unconfirmed());
    }

    @Test
    void frames_are_sent_in_the_order_offered() {
        var sink = FakeSink.inline();
        var queue = queue(100, sink);
        for (String f : List.of("a", "b", "c", "d")) assertTrue(queue.offer(f));
        assertEquals(List.of("a", "b", "c", "d"), sink.sent);
        assertEquals(0, queue.backlog());
    }

    @Test
    void a_held_queue_sends_nothing_until_started_then_everything_in_order() {
        var sink = FakeSink.inline();
        var queue = queue(100, sink);
        queue.hold();
        queue.offer("welcome");
        queue.offer("b");
        queue.keepAlive();
        assertEquals(List.of(), sink.sent);
        assertEquals(List.of(), sink.pings);

        queue.start();
        assertEquals(List.of("welcome", "b"), sink.sent);
        assertEquals(1, sink.pings.size(), "the keep-alive asked for while held goes out too");
        queue.offer("c");
        assertEquals(List.of("welcome", "b", "c"), sink.sent, "started: offers send at once again");
    }

    @Test
    void an_offer_racing_start_is_sent_and_only_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2_000; round++) {
                var sink = FakeSink.inline();
                var queue = queue(100, sink);
                queue.hold();
                var go = new CountDownLatch(1);
                var offered =
                        pool.submit(
                                () -> {
                                    go.await();
                                    return queue.offer("x");
                                });
                var started =
                        pool.submit(
                                () -> {
                                    go.await();
                                    queue.start();
                                    return null;
                                });
                go.countDown();
                assertTrue(offered.get(5, TimeUnit.SECONDS));
                started.get(5, TimeUnit.SECONDS);
                assertEquals(List.of("x"), sink.sent, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void at_most_one_send_is_in_flight_until_it_completes() {
        var sink = new FakeSink();
        var queue = queue(100, sink);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");
        assertEquals(List.of("a"), sink.sent);
        assertEquals(2, queue.backlog());

        sink.completeNext();
        assertEquals(List.of("a", "b"), sink.sent);
        sink.completeNext();
        assertEquals(List.of("a", "b", "c"), sink.sent);
        sink.completeNext();
        assertEquals(0, sink.pending());
        assertEquals(0, queue.backlog());

        queue.offer("d"); // idle again: the next offer starts a send itself
        assertEquals(List.of("a", "b", "c", "d"), sink.sent);
        assertEquals(1, sink.maxInFlight.get());
    }

    @Test
    void inline_completion_of_100000_queued_frames_does_not_overflow_the_stack() {
        int n = 100_000;
        var sink = new FakeSink();
        var queue = queue(n, sink);
        queue.offer("first"); // in flight, not completed
        for (int i = 0; i < n; i++) assertTrue(queue.offer("f" + i));
        sink.switchToInline();

        sink.completeNext(); // every later send completes inside send(): a loop, not recursion

        assertEquals(n + 1, sink.sent.size());
        assertEquals("f" + (n - 1), sink.sent.get(n));
        assertEquals(0, queue.backlog());
    }

    @Test
    void inline_completion_of_100000_offers_sends_each_once_in_order() {
        int n = 100_000;
        var sink = FakeSink.inline();
        var queue = queue(10, sink);
        for (int i = 0; i < n; i++) assertTrue(queue.offer("f" + i));
        assertEquals(IntStream.range(0, n).mapToObj(i -> "f" + i).toList(), sink.sent);
        assertEquals(0, overflows.get());
    }

    @Test
    void a_backlog_over_the_limit_closes_the_queue_and_calls_on_overflow_once() {
        var sink = new FakeSink();
        var queue = queue(3, sink);
        assertTrue(queue.offer("in-flight"));
        for (int i = 0; i < 3; i++) assertTrue(queue.offer("waiting-" + i));
        assertEquals(3, queue.backlog());
        assertEquals(0, overflows.get());

        assertFalse(queue.offer("one-too-many"));
        assertEquals(1, overflows.get());

        for (int i = 0; i < 10; i++) assertFalse(queue.offer("later-" + i));
        assertEquals(1, overflows.get());

        sink.completeNext(); // the write in flight finishes: nothing queued goes out any more
        assertEquals(List.of("in-flight"), sink.sent);
    }

    @Test
    void concurrent_offers_over_the_limit_call_on_overflow_exactly_once() throws Exception {
        var sink = new FakeSink(); // never completes
        var queue = queue(50, sink);
        int threads = 8;
        var start = new CountDownLatch(1);
        var done = new CountDownLatch(threads);
        var pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                pool.execute(
                        () -> {
                            try {
                                start.await();
                                for (int i = 0; i < 1_000; i++) queue.offer("t" + id + "-" + i);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                done.countDown();
                            }
                        });
            }
            start.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, overflows.get());
        assertFalse(queue.offer("after"));
        // at most one send in flight; none when the overflow closed the queue before the first poll
        assertTrue(sink.sent.size() <= 1, "sends in flight: " + sink.sent.size());
    }

    @Test
    void a_failed_send_closes_the_queue() {
        var sink = new FakeSink();
        var queue = queue(100, sink);
        queue.offer("a");
        queue.offer("b");
        sink.completeNext(new IOException("connection reset"));

        assertEquals(List.of("a"), sink.sent, "nothing is written after a failed write");
        assertEquals(0, sink.pending());
        assertFalse(queue.offer("c"));
        assertEquals(List.of("a"), sink.sent);
        assertEquals(0, overflows.get(), "a broken socket is not a slow consumer");
    }

    @Test
    void a_send_that_fails_inline_closes_the_queue() {
        var sends = new AtomicInteger();
        var queue =
                queue(
                        100,
                        (frame, done) -> {
                            sends.incrementAndGet();
                            done.completed(new IOException("broken pipe"));
                        });
        queue.offer("a");
        assertFalse(queue.offer("b"));
        assertEquals(1, sends.get());
    }

    @Test
    void offer_never_blocks_even_when_the_sink_never_completes() {
        var sink = new FakeSink();
        var queue = queue(10_000, sink);
        // checks that offer returns at all (a blocking offer would hang here), not how fast it is
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> {
                    for (int i = 0; i < 10_001; i++) assertTrue(queue.offer("f" + i));
                    assertFalse(queue.offer("over"));
                    assertFalse(queue.offer("over-again"));
                });
        assertEquals(1, sink.sent.size());
        assertEquals(1, overflows.get());
    }

    @Test
    void a_closed_queue_refuses_frames_and_sends_nothing_more() {
        var sink = new FakeSink();
        var queue = queue(100, sink);
        queue.offer("a");
        queue.offer("b");
        queue.close();
        assertFalse(queue.offer("c"));
        sink.completeNext();
        assertEquals(List.of("a"), sink.sent);
        assertEquals(0, overflows.get());
    }

    @Test
    void
            concurrent_producers_with_completions_on_other_threads_keep_one_send_in_flight_and_each_producers_order()
                    throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        var completer = Executors.newFixedThreadPool(4);
        var allSent = new CountDownLatch(producers * perProducer);
        var sent = new ConcurrentLinkedQueue<String>();
        var inFlight = new AtomicInteger();
        var maxInFlight = new AtomicInteger();
        var sends = new AtomicInteger();
        OutboundQueue.Sink sink =
                (frame, done) -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    sent.add(frame);
                    allSent.countDown();
                    Runnable complete =
                            () -> {
                                inFlight.decrementAndGet();
                                done.completed(null);
                            };
                    // half inline, half from another thread: both hand-off orders of the pump
                    if (sends.incrementAndGet() % 2 == 0) complete.run();
                    else completer.execute(complete);
                };
        var queue = queue(producers * perProducer, sink);
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                int id = p;
                pool.execute(
                        () -> {
                            for (int i = 0; i < perProducer; i++) queue.offer("p" + id + ":" + i);
                        });
            }
            assertTrue(allSent.await(30, TimeUnit.SECONDS), "sent " + sent.size());
        } finally {
            pool.shutdownNow();
            completer.shutdown();
            assertTrue(completer.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(1, maxInFlight.get());
        assertEquals(producers * perProducer, sent.size());
        Map<String, Integer> last = new HashMap<>();
        for (String frame : sent) {
            String producer = frame.substring(0, frame.indexOf(':'));
            int n = Integer.parseInt(frame.substring(frame.indexOf(':') + 1));
            assertEquals(last.getOrDefault(producer, -1) + 1, n, "order of " + producer);
            last.put(producer, n);
        }
        assertEquals(0, queue.backlog());
        assertEquals(0, overflows.get());
    }
}
