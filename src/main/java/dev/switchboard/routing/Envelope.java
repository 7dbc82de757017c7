package dev.switchboard.routing;

/**
 * One frame on its way to sockets. The frame is encoded once by the node that accepted it and shared
 * by every recipient.
 *
 * @param target       where it goes
 * @param name         the room name or user id
 * @param frame        the JSON text to send
 * @param exceptSocket a socket that must not get it (the sender of a typing frame, say), or null
 * @param seq          the room seq of a {@code message} frame, else 0
 */
public record Envelope(Target target, String name, String frame, String exceptSocket, long seq) {
    public enum Target { ROOM, USER }

    public static Envelope toRoom(String room, String frame, String exceptSocket) {
        return new Envelope(Target.ROOM, room, frame, exceptSocket, 0);
    }

    public static Envelope roomMessage(String room, String frame, long seq) {
        return new Envelope(Target.ROOM, room, frame, null, seq);
    }

    public static Envelope toUser(String user, String frame, String exceptSocket) {
        return new Envelope(Target.USER, user, frame, exceptSocket, 0);
    }
}
