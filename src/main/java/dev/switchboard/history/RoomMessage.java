package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;

import java.time.Instant;

/** A room message as stored and sent: {@code seq} is 0 until the writer has assigned it. */
public record RoomMessage(String id, RoomName room, long seq, UserId from, String name, String text, Instant ts, String node) {
    RoomMessage withSeq(long assigned) {
        return new RoomMessage(id, room, assigned, from, name, text, ts, node);
    }
}
