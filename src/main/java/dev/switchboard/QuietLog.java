package dev.switchboard;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs at most {@code perMinute} lines per key per minute and counts the rest: a client repeating a
 * mistake, or a dependency failing every request, must not flood the log. The first line of the
 * next minute says how many were dropped. Keys are chosen by our code (a kind of failure), never
 * taken from a request; the map is still bounded in case a caller gets that wrong.
 */
public final class QuietLog {
    private static final long MINUTE_MS = 60_000;
    private static final int MAX_KEYS = 256;

    private final Logger logger;
    private final int perMinute;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public QuietLog(Logger logger, int perMinute) {
        this(logger, perMinute, Clock.systemUTC());
    }

    public QuietLog(Logger logger, int perMinute, Clock clock) {
        if (perMinute < 1)
            throw new IllegalArgumentException("perMinute must be >= 1, is " + perMinute);
        this.logger = logger;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /**
     * Logs {@code line} (made only if it is logged) unless this key used up its lines this minute;
     * true if it was logged.
     */
    public boolean log(Level level, String key, Supplier<String> line) {
        return log(level, key, line, null);
    }

    /**
     * As {@link #log(Level, String, Supplier)}, with the stack trace of {@code thrown} if it is not
     * null.
     */
    public boolean log(Level level, String key, Supplier<String> line, Throwable thrown) {
        if (!logger.isLoggable(level)) return false;
        long now = clock.millis();
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) windows.clear();
        Window window =
                windows.compute(
                        key,
                        (k, w) ->
                                w == null || now - w.start >= MINUTE_MS
                                        ? new Window(now, 1, w == null ? 0 : w.dropped(perMinute))
                                        : new Window(w.start, w.count + 1, w.droppedBefore));
        if (window.count > perMinute) return false;
        String text = line.get();
        if (window.count == 1 && window.droppedBefore > 0) {
            text = text + " (" + window.droppedBefore + " more like it dropped before this one)";
        }
        if (thrown == null) logger.log(level, text);
        else logger.log(level, text, thrown);
        return true;
    }

    /**
     * One key's minute: when it began, lines asked for in it, and lines dropped in the previous
     * one.
     */
    private record Window(long start, int count, int droppedBefore) {
        int dropped(int limit) {
            return Math.max(0, count - limit);
        }
    }
}
