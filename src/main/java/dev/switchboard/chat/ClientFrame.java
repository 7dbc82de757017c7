package dev.switchboard.chat;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.presence.Status;

/** The client frames of the contract (section 2), already checked for shape and names. */
sealed interface ClientFrame {
    record Join(RoomName room, Long since) implements ClientFrame {}

    record Leave(RoomName room) implements ClientFrame {}

    record Send(RoomName room, String text) implements ClientFrame {}

    record Direct(UserId to, String text) implements ClientFrame {}

    record Typing(RoomName room, boolean active) implements ClientFrame {}

    record SetStatus(Status status) implements ClientFrame {}

    /**
     * Exactly one of {@code room} and {@code with} is set; {@code before} is a seq for a room, a
     * message id for a conversation.
     */
    record History(RoomName room, UserId with, Long beforeSeq, String beforeId, int limit)
            implements ClientFrame {}

    record Refresh(String token) implements ClientFrame {}

    record Ping() implements ClientFrame {}
}
