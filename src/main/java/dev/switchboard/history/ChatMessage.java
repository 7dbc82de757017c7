package dev.switchboard.history;

import dev.switchboard.UserId;
import java.time.Instant;

/**
 * A chat message as the writer stores it and the fan-out sends it: a room message (numbered in its
 * room when it is stored) or a direct one. Sealed, so a step that handles one kind cannot forget
 * the other.
 */
public sealed interface ChatMessage permits RoomMessage, DirectMessage {
    String id();

    UserId from();

    String name();

    String text();

    Instant ts();

    String node();
}
