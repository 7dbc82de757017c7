package dev.switchboard.history;

/**
 * Whom the fan-out answers once a message is stored or refused: the sender's socket on this node
 * and the {@code ref} of its frame (null when it gave none). Plain data: the writer carries it,
 * never calls it.
 */
public record ReplyTo(String socket, String ref) {}
