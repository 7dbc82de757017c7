package dev.switchboard.chat;

import dev.switchboard.JsonCodec;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.history.DirectMessage;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.MessageJson;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.presence.Status;
import jakarta.json.JsonObjectBuilder;
import java.util.Collection;

/** The server frames of the contract, encoded once to JSON text. */
final class ServerFrames {
    private ServerFrames() {}

    static String welcome(UserId user, String name, String node, String session) {
        return frame("welcome")
                .add("user", user.value())
                .add("name", name)
                .add("node", node)
                .add("session", session)
                .build()
                .toString();
    }

    static String joined(
            RoomName room, Collection<UserId> members, HistoryService.JoinHistory history) {
        var memberArray = JsonCodec.arrayBuilder();
        members.forEach(m -> memberArray.add(m.value()));
        var frame =
                frame("joined")
                        .add("room", room.value())
                        .add("members", memberArray)
                        .add("messages", MessageJson.rooms(history.messages()))
                        .add("seq", history.seq());
        if (history.recovered() != null) frame.add("recovered", history.recovered());
        return frame.build().toString();
    }

    static String left(RoomName room) {
        return left(room, null);
    }

    /**
     * @param reason why the server took the socket out of the room, or null when the client asked
     *     to leave
     */
    static String left(RoomName room, String reason) {
        var frame = frame("left").add("room", room.value());
        if (reason != null) frame.add("reason", reason);
        return frame.build().toString();
    }

    static String message(RoomMessage m) {
        return m.json();
    }

    static String direct(DirectMessage m) {
        return MessageJson.direct(m).toString();
    }

    static String ack(String ref, String id, long seq) {
        var frame = frame("ack");
        if (ref != null) frame.add("ref", ref);
        frame.add("id", id);
        if (seq > 0) frame.add("seq", seq);
        return frame.build().toString();
    }

    static String member(String type, RoomName room, UserId user, String name) {
        return frame(type)
                .add("room", room.value())
                .add("user", user.value())
                .add("name", name)
                .build()
                .toString();
    }

    static String typing(RoomName room, UserId user, boolean active) {
        return frame("typing")
                .add("room", room.value())
                .add("user", user.value())
                .add("active", active)
                .build()
                .toString();
    }

    static String presence(RoomName room, UserId user, Status status) {
        return frame("presence")
                .add("room", room.value())
                .add("user", user.value())
                .add("status", status.wire())
                .build()
                .toString();
    }

    static String roomHistory(RoomName room, HistoryService.Page<RoomMessage> page) {
        return frame("history")
                .add("room", room.value())
                .add("messages", MessageJson.rooms(page.messages()))
                .add("hasMore", page.hasMore())
                .build()
                .toString();
    }

    static String conversationHistory(UserId with, HistoryService.Page<DirectMessage> page) {
        return frame("history")
                .add("with", with.value())
                .add("messages", MessageJson.directs(page.messages()))
                .add("hasMore", page.hasMore())
                .build()
                .toString();
    }

    static String notification(String event, jakarta.json.JsonObject data) {
        return frame("notification").add("event", event).add("data", data).build().toString();
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    static String error(SwitchboardException e, String ref) {
        var frame = frame("error").add("code", e.code().wire()).add("message", e.detail());
        if (ref != null) frame.add("ref", ref);
        if (e.retryAfterMs() >= 0) frame.add("retryAfterMs", e.retryAfterMs());
        return frame.build().toString();
    }

    private static JsonObjectBuilder frame(String type) {
        return JsonCodec.objectBuilder().add("type", type);
    }
}
