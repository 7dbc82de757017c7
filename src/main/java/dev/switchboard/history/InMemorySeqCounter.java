package dev.switchboard.history;

import dev.switchboard.RoomName;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A standalone node's seqs. The single writer thread reserves and releases, so a batch that fails
 * hands its seqs back and the next one reuses them: no gap. Joins read them.
 */
public class InMemorySeqCounter implements SeqCounter {
    private final Map<RoomName, Long> last = new HashMap<>();

    @Override
    public synchronized long reserve(RoomName room, int count, LongSupplier storedMax) {
        Long current = last.get(room);
        long base = current != null ? current : storedMax.getAsLong();
        last.put(room, base + count);
        return base + 1;
    }

    @Override
    public long current(RoomName room, LongSupplier storedMax) {
        synchronized (this) {
            Long current = last.get(room);
            if (current != null) return current;
        }
        long stored = storedMax.getAsLong(); // a query: not while the writer waits for the lock
        synchronized (this) {
            return last.computeIfAbsent(room, r -> stored);
        }
    }

    @Override
    public synchronized void release(RoomName room, long first, int count) {
        Long current = last.get(room);
        if (current != null && current == first + count - 1) last.put(room, first - 1);
    }
}
