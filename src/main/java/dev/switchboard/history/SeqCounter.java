package dev.switchboard.history;

import dev.switchboard.RoomName;
import java.util.function.LongSupplier;

/** Port: hands out each room's seqs, +1 per accepted message across the whole deployment. */
public interface SeqCounter extends AutoCloseable {
    /**
     * Reserves {@code count} consecutive seqs of the room.
     *
     * @param storedMax the highest seq already stored, asked only when the counter does not know
     *     the room
     * @return the first reserved seq
     */
    long reserve(RoomName room, int count, LongSupplier storedMax);

    /**
     * The room's highest reserved seq, 0 when no message of the room was ever accepted, learnt from
     * the store when the counter does not know the room (as {@link #reserve} does).
     *
     * @param storedMax the highest seq already stored, asked only when the counter does not know
     *     the room
     */
    long current(RoomName room, LongSupplier storedMax);

    /**
     * The batch holding {@code first..first+count-1} was not stored: give them back where that is
     * still possible.
     */
    void release(RoomName room, long first, int count);

    @Override
    default void close() {}
}
