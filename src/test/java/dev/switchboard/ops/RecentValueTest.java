package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentValueTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void reads_once_per_max_age() {
        var value = new RecentValue<>(Duration.ofSeconds(10), reads::incrementAndGet, now::get);
        for (int i = 0; i < 1000; i++) assertEquals(1, value.get());
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(2, value.get());
        assertEquals(2, value.get());
    }

    @Test
    void a_failed_read_keeps_the_previous_value_and_is_tried_again() {
        var fail = new java.util.concurrent.atomic.AtomicBoolean();
        var value =
                new RecentValue<>(
                        Duration.ofSeconds(1),
                        () -> {
                            if (fail.get()) throw new IllegalStateException("down");
                            return reads.incrementAndGet();
                        },
                        now::get);
        assertEquals(1, value.get());
        fail.set(true);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThrows(IllegalStateException.class, value::get);
        fail.set(false);
        assertEquals(2, value.get());
    }
}
