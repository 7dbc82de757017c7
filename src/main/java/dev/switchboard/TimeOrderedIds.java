package dev.switchboard;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered ids for messages, orders and events (UUID version 7, RFC 9562): made here rather
 * than by the database so a retried write can never store a message twice, and ordered by time so a
 * conversation pages by id. Monotonic on one node: within one millisecond the 12-bit counter field
 * goes up.
 */
public final class TimeOrderedIds {
    private final SecureRandom random = new SecureRandom();
    private long lastMillis;
    private int counter;

    public synchronized String next(long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            counter = random.nextInt(1 << 11);
        } else if (++counter >= 1 << 12) {
            lastMillis++; // counter spent within this millisecond: borrow the next one
            counter = 0;
        }
        long msb = (lastMillis << 16) | 0x7000L | counter;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
