package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The contract's client frames (PROTOCOL.md section 2), built with JSON-P so names and texts need
 * no quoting.
 */
public final class Frames {
    private Frames() {}

    public static JsonObject join(String room) {
        return frame("join").add("room", room).build();
    }

    public static JsonObject join(String room, long since) {
        return frame("join").add("room", room).add("since", since).build();
    }

    public static JsonObject leave(String room) {
        return frame("leave").add("room", room).build();
    }

    public static JsonObject send(String room, String text, String ref) {
        var frame = frame("send").add("room", room).add("text", text);
        if (ref != null) frame.add("ref", ref);
        return frame.build();
    }

    public static JsonObject direct(String to, String text, String ref) {
        var frame = frame("direct").add("to", to).add("text", text);
        if (ref != null) frame.add("ref", ref);
        return frame.build();
    }

    public static JsonObject typing(String room, boolean active) {
        return frame("typing").add("room", room).add("active", active).build();
    }

    public static JsonObject status(String status) {
        return frame("status").add("status", status).build();
    }

    /** {@code history} of a room; {@code before} (a seq) and {@code limit} may be null. */
    public static JsonObject roomHistory(String room, Long before, Integer limit) {
        var frame = frame("history").add("room", room);
        if (before != null) frame.add("before", before);
        if (limit != null) frame.add("limit", limit);
        return frame.build();
    }

    /**
     * {@code history} of the conversation with a user; {@code before} (a message id) and {@code
     * limit} may be null.
     */
    public static JsonObject conversationHistory(String with, String before, Integer limit) {
        var frame = frame("history").add("with", with);
        if (before != null) frame.add("before", before);
        if (limit != null) frame.add("limit", limit);
        return frame.build();
    }

    public static JsonObject refresh(String token) {
        return frame("refresh").add("token", token).build();
    }

    public static JsonObject ping() {
        return frame("ping").build();
    }

    private static JsonObjectBuilder frame(String type) {
        return Json.createObjectBuilder().add("type", type);
    }
}
