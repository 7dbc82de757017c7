package dev.switchboard.history;

import dev.switchboard.UserId;
import java.time.Instant;

/** A private message between two users. */
public record DirectMessage(
        String id, UserId from, String name, UserId to, String text, Instant ts, String node)
        implements ChatMessage {
    /** The conversation key of two users, the same whichever of them asks. */
    static String conversation(UserId a, UserId b) {
        return a.compareTo(b) <= 0 ? a.value() + ":" + b.value() : b.value() + ":" + a.value();
    }
}
