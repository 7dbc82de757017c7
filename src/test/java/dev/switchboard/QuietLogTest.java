package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuietLogTest {
    private final Logger logger = Logger.getLogger("quiet-log-test");
    private final List<String> lines = new ArrayList<>();
    private final Handler capture =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    lines.add(record.getMessage());
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void capture() {
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void logs_at_most_n_lines_per_key_per_minute_then_says_how_many_it_dropped() {
        var log = new QuietLog(logger, 3, clock);
        for (int i = 0; i < 100; i++) log.log(Level.INFO, "bad-body", () -> "bad body");
        assertEquals(3, lines.size());
        clock.advance(Duration.ofSeconds(61));
        assertTrue(log.log(Level.INFO, "bad-body", () -> "bad body again"));
        assertEquals("bad body again (97 more like it dropped before this one)", lines.get(3));
        assertTrue(log.log(Level.INFO, "bad-body", () -> "quiet minute"));
        assertEquals("quiet minute", lines.get(4));
    }

    @Test
    void keys_have_their_own_budgets() {
        var log = new QuietLog(logger, 1, clock);
        assertTrue(log.log(Level.WARNING, "database", () -> "database down"));
        assertFalse(log.log(Level.WARNING, "database", () -> "database down"));
        assertTrue(log.log(Level.WARNING, "redis", () -> "redis down"));
        assertEquals(List.of("database down", "redis down"), lines);
    }

    @Test
    void a_dropped_line_is_never_made() {
        var log = new QuietLog(logger, 1, clock);
        log.log(Level.INFO, "k", () -> "first");
        assertFalse(
                log.log(
                        Level.INFO,
                        "k",
                        () -> {
                            throw new AssertionError("made a dropped line");
                        }));
    }

    @Test
    void many_keys_stay_bounded_and_keep_logging() {
        var log = new QuietLog(logger, 1, clock);
        for (int i = 0; i < 10_000; i++) {
            String key = "k" + i;
            log.log(Level.INFO, key, () -> key);
        }
        assertEquals(10_000, lines.size());
    }
}
