package dev.switchboard.ops;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read from Redis, the broker or the database, reused while younger than {@code maxAge}:
 * {@code /stats} and {@code /metrics} need no token, so each request must not cost round trips. One
 * caller refreshes at a time; the others meanwhile get the previous value, and wait only for the
 * first.
 */
final class RecentValue<T> {
    private final Supplier<T> read;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile T value;
    private volatile long readAt;

    RecentValue(Duration maxAge, Supplier<T> read) {
        this(maxAge, read, System::nanoTime);
    }

    RecentValue(Duration maxAge, Supplier<T> read, LongSupplier nanoTime) {
        this.read = read;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    T get() {
        T current = value;
        if (current != null && nanoTime.getAsLong() - readAt < maxAgeNanos) return current;
        if (current != null && !refreshing.compareAndSet(false, true)) return current;
        if (current == null) {
            synchronized (this) {
                if (value != null) return value;
                return store(read.get());
            }
        }
        try {
            return store(read.get());
        } finally {
            refreshing.set(false);
        }
    }

    private T store(T fresh) {
        readAt = nanoTime.getAsLong();
        value = fresh;
        return fresh;
    }
}
