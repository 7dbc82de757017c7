package dev.switchboard.cluster;

/**
 * The one retry rule of the broker work queues and their in-process twins: try {@code tries} times;
 * after the n-th failed try wait {@code firstMs} doubled n - 1 times. A retry beyond the last try
 * (a give-up step that failed) waits as long as the last retry did, so no delay outgrows the
 * configured ones.
 *
 * @param firstMs the wait after the first failed try
 * @param tries tries in all, the first included
 */
public record Backoff(long firstMs, int tries) {
    /** Keeps the longest wait (firstMs << 19) far from overflow and within a queue TTL's range. */
    private static final int MAX_TRIES = 20;

    public Backoff {
        if (firstMs < 1 || firstMs > 3_600_000)
            throw new IllegalArgumentException("first backoff must be 1 ms..1 h, is " + firstMs);
        if (tries < 1 || tries > MAX_TRIES)
            throw new IllegalArgumentException("tries must be 1.." + MAX_TRIES + ", is " + tries);
    }

    /**
     * Distinct waits: one after each failed try but the last (at least one, for retries beyond the
     * last try).
     */
    public int steps() {
        return Math.max(1, tries - 1);
    }

    /** The wait after {@code failedTries} failed tries (1 = after the first). */
    public long delayMs(int failedTries) {
        int step = Math.max(1, Math.min(failedTries, steps()));
        return firstMs << (step - 1);
    }

    /** Whether a delivery that has failed {@code failedTries} times has had its last try. */
    public boolean spent(int failedTries) {
        return failedTries >= tries;
    }
}
