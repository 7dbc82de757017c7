package dev.switchboard.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-log limiter: exact (no burst of 2× at a window edge, as a fixed window allows) at the
 * cost of one timestamp per counted event, at most {@code limit} per key. Idle keys are dropped by
 * {@link #sweep}.
 */
public class InMemoryRateLimiter implements RateLimiter {
    private final Map<String, ArrayDeque<Long>> logs = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long tryAcquire(String key, int limit, Duration window) {
        if (limit <= 0) return 0;
        long now = clock.millis();
        long windowMs = window.toMillis();
        while (true) {
            ArrayDeque<Long> log = logs.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (log) {
                // sweep may have dropped this log between the lookup and the lock: count in the
                // live one
                if (logs.get(key) != log) continue;
                while (!log.isEmpty() && log.peekFirst() <= now - windowMs) log.pollFirst();
                if (log.size() >= limit) return Math.max(1, log.peekFirst() + windowMs - now);
                log.addLast(now);
                return 0;
            }
        }
    }

    /**
     * Drops the logs whose newest event is older than the window, so memory follows active users
     * only.
     */
    public void sweep(Duration window) {
        long oldest = clock.millis() - window.toMillis();
        for (Iterator<ArrayDeque<Long>> it = logs.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Long> log = it.next();
            synchronized (log) {
                if (log.isEmpty() || log.peekLast() <= oldest) it.remove();
            }
        }
    }
}
