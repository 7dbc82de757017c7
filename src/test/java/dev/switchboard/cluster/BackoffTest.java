package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void the_first_wait_doubles_after_each_failed_try_but_the_last() {
        var backoff = new Backoff(500, 4);
        assertEquals(3, backoff.steps());
        assertEquals(500, backoff.delayMs(1));
        assertEquals(1000, backoff.delayMs(2));
        assertEquals(2000, backoff.delayMs(3));
    }

    @Test
    void a_retry_beyond_the_last_try_waits_as_long_as_the_last_retry() {
        var backoff = new Backoff(2000, 3);
        assertEquals(4000, backoff.delayMs(3));
        assertEquals(4000, backoff.delayMs(7));
    }

    @Test
    void with_one_try_there_is_still_one_wait_for_a_retry_beyond_it() {
        var backoff = new Backoff(200, 1);
        assertEquals(1, backoff.steps());
        assertEquals(200, backoff.delayMs(1));
        assertTrue(backoff.spent(1));
    }

    @Test
    void tries_are_spent_once_the_last_one_failed() {
        var backoff = new Backoff(200, 3);
        assertFalse(backoff.spent(2));
        assertTrue(backoff.spent(3));
        assertTrue(backoff.spent(4));
    }

    @Test
    void a_rule_that_cannot_be_a_queue_ttl_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 21));
    }
}
