package dev.switchboard.history;

import dev.switchboard.RoomName;
import java.util.List;

/**
 * Port: the latest stored messages of each room, kept where a {@code join} and a short recovery can
 * read them without the database. It may lag the store by the messages of a batch still being
 * published, never more: a node appends a batch after its commit and before its publish.
 */
public interface RecentHistory extends AutoCloseable {
    /** Adds stored messages (any rooms, any order). */
    void append(List<RoomMessage> stored);

    /** The kept messages of the room, by seq; empty when nothing is kept. */
    List<RoomMessage> latest(RoomName room);

    @Override
    default void close() {}
}
