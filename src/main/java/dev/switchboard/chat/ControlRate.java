package dev.switchboard.chat;

/**
 * The control-frame budget of one socket: at most {@code limit} frames in the current second and
 * the nine before it, counted in ten one-second buckets, so each socket costs ~100 bytes whatever
 * the limit (a log of timestamps, as the per-user chat rate keeps, would cost 8 bytes per frame
 * allowed). A frame counts for 9 to 10 s; just after a bucket expires, up to one bucket's worth
 * more than the limit can fall within some 10 s span. Checked on the socket's own thread, no I/O.
 */
final class ControlRate {
    static final int MAX_LIMIT = 1_000_000;
    private static final int BUCKETS = 10;
    private static final long BUCKET_MS = ChatSettings.RATE_WINDOW.toMillis() / BUCKETS;

    private final int[] counts = new int[BUCKETS];

    /** The bucket number (milliseconds / BUCKET_MS) of the newest bucket. */
    private long newest = Long.MIN_VALUE;

    private int total;

    /**
     * Counts one frame if it fits.
     *
     * @param nowMs a monotonic time in milliseconds
     * @return 0 when the frame was counted, else the milliseconds until it would fit
     */
    synchronized long tryAcquire(long nowMs, int limit) {
        if (limit <= 0) return 0;
        long bucket = Math.floorDiv(nowMs, BUCKET_MS);
        advanceTo(bucket);
        if (total >= limit) {
            for (long b = bucket - BUCKETS + 1; b <= bucket; b++) {
                if (counts[slot(b)] > 0) return Math.max(1, (b + BUCKETS) * BUCKET_MS - nowMs);
            }
        }
        counts[slot(bucket)]++;
        total++;
        return 0;
    }

    private void advanceTo(long bucket) {
        if (bucket <= newest) return; // same bucket (or a clock that stood still)
        if (newest == Long.MIN_VALUE || bucket - newest >= BUCKETS) {
            java.util.Arrays.fill(counts, 0);
            total = 0;
        } else {
            for (long b = newest + 1; b <= bucket; b++) {
                total -= counts[slot(b)];
                counts[slot(b)] = 0;
            }
        }
        newest = bucket;
    }

    private static int slot(long bucket) {
        return (int) Math.floorMod(bucket, BUCKETS);
    }
}
