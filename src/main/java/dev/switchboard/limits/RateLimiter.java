package dev.switchboard.limits;

import java.time.Duration;

/** Port: at most {@code limit} events per key in any window of the given length. */
public interface RateLimiter extends AutoCloseable {
    /**
     * Counts one event for the key if it fits.
     *
     * @return 0 when the event was counted, else the milliseconds until it would fit
     */
    long tryAcquire(String key, int limit, Duration window);

    @Override
    default void close() {}
}
