package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A room message as stored and sent: {@code seq} is 0 until the writer has assigned it.
 *
 * <p>A value like a record, except that it keeps its contract JSON once encoded: a stored message
 * goes out as the same text to the journal, the recent-history list and every socket, and encoding
 * it three times was a large share of a cluster node's work.
 */
public final class RoomMessage implements ChatMessage {
    private final String id;
    private final RoomName room;
    private final long seq;
    private final UserId from;
    private final String name;
    private final String text;
    private final Instant ts;
    private final String node;
    private volatile String json;

    public RoomMessage(
            String id,
            RoomName room,
            long seq,
            UserId from,
            String name,
            String text,
            Instant ts,
            String node) {
        this.id = id;
        this.room = room;
        this.seq = seq;
        this.from = from;
        this.name = name;
        this.text = text;
        this.ts = ts;
        this.node = node;
    }

    RoomMessage withSeq(long assigned) {
        return new RoomMessage(id, room, assigned, from, name, text, ts, node);
    }

    /** The contract's {@code message} frame for it, encoded on first use. */
    public String json() {
        String encoded = json;
        if (encoded == null) {
            encoded = MessageJson.room(this).toString();
            json = encoded;
        }
        return encoded;
    }

    public String id() {
        return id;
    }

    public RoomName room() {
        return room;
    }

    public long seq() {
        return seq;
    }

    public UserId from() {
        return from;
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public Instant ts() {
        return ts;
    }

    public String node() {
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomMessage m
                && seq == m.seq
                && id.equals(m.id)
                && room.equals(m.room)
                && from.equals(m.from)
                && Objects.equals(name, m.name)
                && Objects.equals(text, m.text)
                && ts.equals(m.ts)
                && Objects.equals(node, m.node);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, room, seq, from, name, text, ts, node);
    }

    @Override
    public String toString() {
        return "RoomMessage[id="
                + id
                + ", room="
                + room
                + ", seq="
                + seq
                + ", from="
                + from
                + ", name="
                + name
                + ", text="
                + text
                + ", ts="
                + ts
                + ", node="
                + node
                + "]";
    }
}
