package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class PollTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration EVERY = Duration.ofMillis(1);

    @Test
    void returns_the_first_value_that_is_done() {
        var probes = new AtomicInteger();
        assertEquals(
                3,
                Poll.until(SHORT, EVERY, probes::incrementAndGet, n -> n >= 3, n -> "never " + n));
        assertEquals(3, probes.get());
    }

    @Test
    void a_probe_that_throws_is_not_done_yet() {
        var probes = new AtomicInteger();
        String value =
                Poll.until(
                        SHORT,
                        EVERY,
                        () -> {
                            if (probes.incrementAndGet() < 3)
                                throw new IOException("connection refused");
                            return "up";
                        },
                        "up"::equals,
                        v -> "never up");
        assertEquals("up", value);
    }

    @Test
    void fails_after_the_timeout_with_the_message_for_the_last_value() {
        var probes = new AtomicInteger();
        var e =
                assertThrows(
                        AssertionFailedError.class,
                        () ->
                                Poll.until(
                                        SHORT,
                                        EVERY,
                                        probes::incrementAndGet,
                                        n -> false,
                                        n -> "still " + n));
        assertEquals("still " + probes.get(), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void when_every_probe_threw_the_value_is_null_and_the_last_exception_is_the_cause() {
        var refused = new IOException("connection refused");
        var e =
                assertThrows(
                        AssertionFailedError.class,
                        () ->
                                Poll.until(
                                        SHORT,
                                        EVERY,
                                        () -> {
                                            throw refused;
                                        },
                                        v -> true,
                                        v -> "no answer: " + v));
        assertEquals("no answer: null", e.getMessage());
        assertSame(refused, e.getCause());
    }

    @Test
    void an_assertion_in_the_probe_fails_at_once() {
        var probes = new AtomicInteger();
        var e =
                assertThrows(
                        AssertionError.class,
                        () ->
                                Poll.until(
                                        Duration.ofSeconds(30),
                                        EVERY,
                                        () -> {
                                            probes.incrementAndGet();
                                            throw new AssertionError("status 500");
                                        },
                                        v -> true,
                                        v -> "timed out"));
        assertEquals("status 500", e.getMessage());
        assertEquals(1, probes.get());
    }
}
