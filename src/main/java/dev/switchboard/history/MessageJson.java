package dev.switchboard.history;

import dev.switchboard.JsonCodec;
import dev.switchboard.RoomName;
import dev.switchboard.Timestamps;
import dev.switchboard.UserId;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The contract's JSON for stored messages, shared by the socket frames and the HTTP history. */
public final class MessageJson {
    private MessageJson() {}

    /** ISO-8601 UTC with exactly three fraction digits, as the contract's example. */
    public static String timestamp(Instant instant) {
        return Timestamps.format(instant);
    }

    public static JsonObject room(RoomMessage m) {
        return JsonCodec.objectBuilder()
                .add("type", "message")
                .add("id", m.id())
                .add("room", m.room().value())
                .add("seq", m.seq())
                .add("from", m.from().value())
                .add("name", m.name())
                .add("text", m.text())
                .add("ts", timestamp(m.ts()))
                .add("node", m.node())
                .build();
    }

    public static JsonObject direct(DirectMessage m) {
        return JsonCodec.objectBuilder()
                .add("type", "direct")
                .add("id", m.id())
                .add("from", m.from().value())
                .add("name", m.name())
                .add("to", m.to().value())
                .add("text", m.text())
                .add("ts", timestamp(m.ts()))
                .add("node", m.node())
                .build();
    }

    /** The inverse of {@link #room}. */
    public static RoomMessage parseRoom(JsonObject m) {
        return new RoomMessage(
                m.getString("id"),
                new RoomName(m.getString("room")),
                m.getJsonNumber("seq").longValue(),
                new UserId(m.getString("from")),
                m.getString("name"),
                m.getString("text"),
                Timestamps.parse(m.getString("ts")),
                m.getString("node"));
    }

    /** The inverse of {@link #direct}. */
    public static DirectMessage parseDirect(JsonObject m) {
        return new DirectMessage(
                m.getString("id"),
                new UserId(m.getString("from")),
                m.getString("name"),
                new UserId(m.getString("to")),
                m.getString("text"),
                Timestamps.parse(m.getString("ts")),
                m.getString("node"));
    }

    public static JsonArrayBuilder rooms(List<RoomMessage> messages) {
        var array = JsonCodec.arrayBuilder();
        messages.forEach(m -> array.add(room(m)));
        return array;
    }

    public static JsonArrayBuilder directs(List<DirectMessage> messages) {
        var array = JsonCodec.arrayBuilder();
        messages.forEach(m -> array.add(direct(m)));
        return array;
    }
}
