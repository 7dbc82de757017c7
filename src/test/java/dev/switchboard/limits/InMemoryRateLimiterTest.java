package dev.switchboard.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.MutableClock;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock();
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

    @Test
    void up_to_the_limit_is_allowed_in_one_window() {
        for (int i = 0; i < 5; i++)
            assertEquals(0, limiter.tryAcquire("rl-alice", 5, WINDOW), "event " + (i + 1));
    }

    @Test
    void the_event_over_the_limit_is_refused() {
        for (int i = 0; i < 5; i++) limiter.tryAcquire("rl-bob", 5, WINDOW);
        assertTrue(limiter.tryAcquire("rl-bob", 5, WINDOW) > 0);
    }

    @Test
    void retry_after_is_the_time_until_the_oldest_event_leaves_the_window() {
        limiter.tryAcquire("rl-carol", 3, WINDOW); // t = 0
        clock.advance(Duration.ofSeconds(2));
        limiter.tryAcquire("rl-carol", 3, WINDOW); // t = 2 s
        clock.advance(Duration.ofSeconds(2));
        limiter.tryAcquire("rl-carol", 3, WINDOW); // t = 4 s
        clock.advance(Duration.ofSeconds(1));
        assertEquals(
                5_000, limiter.tryAcquire("rl-carol", 3, WINDOW)); // the t = 0 event leaves at 10 s

        clock.advanceMillis(4_999);
        assertEquals(1, limiter.tryAcquire("rl-carol", 3, WINDOW));
        clock.advanceMillis(1);
        assertEquals(0, limiter.tryAcquire("rl-carol", 3, WINDOW)); // t = 10 s: the oldest has left
        assertEquals(
                2_000,
                limiter.tryAcquire("rl-carol", 3, WINDOW)); // next to leave is the t = 2 s event
    }

    @Test
    void refused_events_are_not_counted() {
        limiter.tryAcquire("rl-dave", 1, WINDOW);
        for (int i = 0; i < 100; i++) {
            clock.advanceMillis(10);
            limiter.tryAcquire(
                    "rl-dave", 1, WINDOW); // refused attempts must not push the wait further out
        }
        clock.advanceMillis(WINDOW.toMillis() - 1_000);
        assertEquals(0, limiter.tryAcquire("rl-dave", 1, WINDOW));
    }

    @Test
    void the_window_slides_so_there_is_no_double_burst_at_a_window_edge() {
        clock.advance(Duration.ofMillis(9_900));
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.tryAcquire("rl-erin", 3, WINDOW));
        // A fixed 10 s window would start afresh at t = 10 s and allow 3 more at once.
        clock.advance(Duration.ofMillis(200));
        assertEquals(9_800, limiter.tryAcquire("rl-erin", 3, WINDOW));
        clock.advance(Duration.ofMillis(9_799));
        assertTrue(limiter.tryAcquire("rl-erin", 3, WINDOW) > 0);
        clock.advance(Duration.ofMillis(1));
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.tryAcquire("rl-erin", 3, WINDOW));
        assertTrue(limiter.tryAcquire("rl-erin", 3, WINDOW) > 0);
    }

    @Test
    void events_spread_over_time_leave_the_window_one_by_one() {
        for (int i = 0; i < 4; i++) {
            assertEquals(0, limiter.tryAcquire("rl-frank", 4, WINDOW));
            clock.advance(Duration.ofSeconds(1));
        }
        // t = 4 s, events at 0, 1, 2, 3 s
        assertEquals(6_000, limiter.tryAcquire("rl-frank", 4, WINDOW));
        clock.advance(Duration.ofSeconds(6)); // t = 10 s: only the t = 0 event has left
        assertEquals(0, limiter.tryAcquire("rl-frank", 4, WINDOW));
        assertEquals(1_000, limiter.tryAcquire("rl-frank", 4, WINDOW));
    }

    @Test
    void limit_zero_turns_the_limiter_off() {
        for (int i = 0; i < 10_000; i++) assertEquals(0, limiter.tryAcquire("rl-grace", 0, WINDOW));
    }

    @Test
    void keys_are_limited_independently() {
        for (int i = 0; i < 2; i++) limiter.tryAcquire("rl-heidi", 2, WINDOW);
        assertTrue(limiter.tryAcquire("rl-heidi", 2, WINDOW) > 0);
        assertEquals(0, limiter.tryAcquire("rl-ivan", 2, WINDOW));
        assertEquals(0, limiter.tryAcquire("rl-ivan", 2, WINDOW));
        assertTrue(limiter.tryAcquire("rl-ivan", 2, WINDOW) > 0);
    }

    @Test
    void sweep_drops_keys_idle_for_a_whole_window_and_keeps_the_others() throws Exception {
        limiter.tryAcquire("rl-idle", 2, WINDOW);
        clock.advance(Duration.ofSeconds(5));
        limiter.tryAcquire("rl-busy", 1, WINDOW);
        clock.advance(Duration.ofSeconds(6)); // rl-idle's last event is 11 s old, rl-busy's 6 s

        limiter.sweep(WINDOW);

        assertEquals(Set.of("rl-busy"), logs(limiter).keySet());
        assertEquals(
                4_000,
                limiter.tryAcquire("rl-busy", 1, WINDOW),
                "a swept limiter still counts the kept key's event");
    }

    @Test
    void an_event_counted_while_sweep_drops_its_key_still_counts() throws Exception {
        limiter.tryAcquire("rl-race", 1, WINDOW);
        clock.advance(WINDOW); // the key is now idle and due to be swept
        var log = logs(limiter).get("rl-race");
        var firstResult = new AtomicLong(-1);
        Thread acquirer;
        synchronized (log) {
            // The acquirer has looked the key's log up and waits for its lock, as a socket thread
            // would while the sweeper holds it; the sweeper (this thread, re-entering the lock)
            // drops the key meanwhile.
            acquirer = new Thread(() -> firstResult.set(limiter.tryAcquire("rl-race", 1, WINDOW)));
            acquirer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            // (an implementation that does not lock the log lets the acquirer finish instead: the
            // sweep then finds a fresh event)
            while (acquirer.getState() != Thread.State.BLOCKED
                    && acquirer.getState() != Thread.State.TERMINATED
                    && System.nanoTime() < deadline) Thread.onSpinWait();
            limiter.sweep(WINDOW);
        }
        acquirer.join(5_000);
        assertEquals(0, firstResult.get(), "the first event after an idle window fits");
        assertTrue(
                limiter.tryAcquire("rl-race", 1, WINDOW) > 0,
                "two events fitted into a window of limit 1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> logs(InMemoryRateLimiter limiter)
            throws ReflectiveOperationException {
        // Memory is what sweep is for, and it is not visible through the port: read the map itself.
        Field field = InMemoryRateLimiter.class.getDeclaredField("logs");
        field.setAccessible(true);
        return (Map<String, ?>) field.get(limiter);
    }
}
