package dev.switchboard.routing;

/**
 * One frame on its way to sockets. The frame is encoded once by the node that accepted it and
 * shared by every recipient.
 *
 * @param target where it goes
 * @param name the room name or user id
 * @param frame the JSON text to send
 * @param exceptSocket a socket that must not get it (the sender of a typing frame, say), or null
 * @param seq the room seq of a {@code message} frame, else 0
 * @param acceptedAtMs when the node accepted the chat message this frame carries (epoch ms), else
 *     0: what the end-to-end delivery latency is measured from
 */
public record Envelope(
        Target target,
        String name,
        String frame,
        String exceptSocket,
        long seq,
        long acceptedAtMs) {
    public enum Target {
        ROOM,
        USER
    }

    public static Envelope toRoom(String room, String frame, String exceptSocket) {
        return new Envelope(Target.ROOM, room, frame, exceptSocket, 0, 0);
    }

    public static Envelope roomMessage(String room, String frame, long seq, long acceptedAtMs) {
        return new Envelope(Target.ROOM, room, frame, null, seq, acceptedAtMs);
    }

    public static Envelope toUser(String user, String frame, String exceptSocket) {
        return new Envelope(Target.USER, user, frame, exceptSocket, 0, 0);
    }

    public static Envelope directMessage(
            String user, String frame, String exceptSocket, long acceptedAtMs) {
        return new Envelope(Target.USER, user, frame, exceptSocket, 0, acceptedAtMs);
    }
}
