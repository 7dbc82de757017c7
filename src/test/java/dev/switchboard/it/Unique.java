package dev.switchboard.it;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Room and user names no other test uses: the tests share nodes (and, on a restart, a database).
 */
public final class Unique {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN =
            Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);

    private Unique() {}

    /**
     * {@code prefix-<run>-<n>}: a valid name (letters, digits, '-') as long as the prefix is one of
     * up to 50 characters.
     */
    public static String name(String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }
}
