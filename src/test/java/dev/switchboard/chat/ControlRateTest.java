package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlRateTest {
    private final ControlRate rate = new ControlRate();

    /**
     * A monotonic clock in milliseconds that the test moves by hand; starts mid-bucket on purpose.
     */
    private long now = 1_000_000_300L;

    private long acquire(int limit) {
        return rate.tryAcquire(now, limit);
    }

    @Test
    void up_to_the_limit_fits_and_the_next_is_refused_with_the_wait_until_the_oldest_expires() {
        for (int i = 0; i < 100; i++) assertEquals(0, acquire(100), "frame " + (i + 1));
        long wait = acquire(100);
        assertEquals(10_000 - 300, wait, "the first frames' second ends 9.7 s from now");
        now += wait - 1;
        assertTrue(acquire(100) > 0, "still refused 1 ms before");
        now += 1;
        assertEquals(0, acquire(100), "fits once the oldest second has left the window");
    }

    @Test
    void frames_spread_at_the_limit_are_never_refused() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, acquire(100), "frame " + i + " at 10 per second");
            now += 100;
        }
    }

    @Test
    void only_the_expired_seconds_are_given_back() {
        for (int i = 0; i < 60; i++) assertEquals(0, acquire(100));
        now += 5_000;
        for (int i = 0; i < 40; i++) assertEquals(0, acquire(100));
        assertTrue(acquire(100) > 0);
        now += 5_000; // the first 60 have left the window, the 40 have not
        for (int i = 0; i < 60; i++)
            assertEquals(0, acquire(100), "frame " + i + " after the first second expired");
        assertTrue(acquire(100) > 0);
    }

    @Test
    void a_long_pause_resets_the_budget() {
        for (int i = 0; i < 20; i++) acquire(20);
        assertTrue(acquire(20) > 0);
        now += 3_600_000;
        for (int i = 0; i < 20; i++) assertEquals(0, acquire(20));
    }

    @Test
    void a_refused_frame_is_not_counted_and_zero_is_off() {
        for (int i = 0; i < 5; i++) acquire(5);
        for (int i = 0; i < 1000; i++) assertTrue(acquire(5) > 0);
        now += 10_000;
        for (int i = 0; i < 5; i++)
            assertEquals(0, acquire(5), "refusals did not use up the next window");
        for (int i = 0; i < 10_000; i++) assertEquals(0, rate.tryAcquire(now, 0));
    }

    @Test
    void a_clock_before_zero_works_too() {
        now = -5_500;
        for (int i = 0; i < 3; i++) assertEquals(0, acquire(3));
        assertEquals(10_000 - 500, acquire(3));
    }
}
