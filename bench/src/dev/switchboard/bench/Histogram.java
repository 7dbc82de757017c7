package dev.switchboard.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latency histogram in microseconds, safe for concurrent recording without locks or allocation: 1
 * µs buckets below 1,024 µs, then 512 buckets per power of two (under 0.2 % error) up to 2^27 µs
 * (134 s); larger values land in the last bucket. Max is kept exactly.
 */
final class Histogram {
    private static final int LINEAR = 1024, SUB = 512, TOP_EXP = 27;
    private final AtomicLongArray counts = new AtomicLongArray(LINEAR + (TOP_EXP - 10 + 1) * SUB);
    private final AtomicLong total = new AtomicLong(), max = new AtomicLong();

    void recordNanos(long nanos) {
        long us = Math.max(0, nanos / 1000);
        counts.incrementAndGet(index(us));
        total.incrementAndGet();
        long m;
        while (us > (m = max.get()) && !max.compareAndSet(m, us)) {}
    }

    private static int index(long us) {
        if (us < LINEAR) return (int) us;
        int e = 63 - Long.numberOfLeadingZeros(us);
        if (e > TOP_EXP) return LINEAR + (TOP_EXP - 10 + 1) * SUB - 1;
        return LINEAR + (e - 10) * SUB + (int) ((us >> (e - 9)) - SUB);
    }

    private static long lowerBound(int index) {
        if (index < LINEAR) return index;
        int e = (index - LINEAR) / SUB + 10, sub = (index - LINEAR) % SUB + SUB;
        return (long) sub << (e - 9);
    }

    long count() {
        return total.get();
    }

    /** Percentile in milliseconds (bucket lower bound), or NaN when nothing was recorded. */
    double percentileMs(double p) {
        long n = total.get();
        if (n == 0) return Double.NaN;
        long rank = (long) Math.ceil(p / 100.0 * n), seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) return Math.min(lowerBound(i), max.get()) / 1000.0;
        }
        return max.get() / 1000.0;
    }

    double maxMs() {
        return total.get() == 0 ? Double.NaN : max.get() / 1000.0;
    }
}
