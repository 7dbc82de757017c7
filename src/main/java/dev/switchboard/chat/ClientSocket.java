package dev.switchboard.chat;

import dev.switchboard.RoomName;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.routing.Envelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One connected socket: its user, its rooms and its outbound queue.
 * <p>
 * Exactly once per socket around a join: from the moment the socket is registered in a room until
 * its {@code joined} frame is queued, live frames for that room are held back. The {@code joined}
 * frame then goes first, followed by the held messages whose seq it does not already carry, so no
 * message is lost between the history read and the live stream, and none arrives twice.
 */
final class ClientSocket {
    private final String id;
    private final OutboundQueue outbound;
    private final SocketCloser closer;
    private final Set<RoomName> rooms = ConcurrentHashMap.newKeySet();
    /** Rooms whose {@code joined} is not yet queued, with the frames held back meanwhile. Guarded by this. */
    private final Map<RoomName, List<Envelope>> joining = new HashMap<>();
    /** Highest seq the socket has been given per room by its {@code joined}. Guarded by this. */
    private final Map<RoomName, Long> joinedSeq = new HashMap<>();
    private volatile AuthenticatedUser user;
    private ScheduledFuture<?> expiry;

    ClientSocket(String id, AuthenticatedUser user, OutboundQueue outbound, SocketCloser closer) {
        this.id = id;
        this.user = user;
        this.outbound = outbound;
        this.closer = closer;
    }

    /** Ends the connection with a close code; cleanup follows when the server reports it closed. */
    void disconnect(int code, String reason) {
        closer.close(code, reason);
    }

    String id() { return id; }

    AuthenticatedUser user() { return user; }

    void user(AuthenticatedUser refreshed) { this.user = refreshed; }

    Set<RoomName> rooms() { return rooms; }

    boolean isIn(RoomName room) { return rooms.contains(room); }

    void send(String frame) {
        outbound.offer(frame);
    }

    /** @return whether the frame was queued for this socket */
    synchronized boolean deliver(RoomName room, Envelope envelope) {
        if (id.equals(envelope.exceptSocket())) return false;
        List<Envelope> held = joining.get(room);
        if (held != null) {
            held.add(envelope);
            return false;
        }
        if (envelope.seq() > 0 && envelope.seq() <= joinedSeq.getOrDefault(room, 0L)) return false;
        return outbound.offer(envelope.frame());
    }

    synchronized boolean deliver(Envelope envelope) {
        return !id.equals(envelope.exceptSocket()) && outbound.offer(envelope.frame());
    }

    synchronized void beginJoin(RoomName room) {
        rooms.add(room);
        joining.put(room, new ArrayList<>());
    }

    /** @return the number of held frames released after the {@code joined} frame */
    synchronized int completeJoin(RoomName room, String joinedFrame, long seq) {
        List<Envelope> held = joining.remove(room);
        if (held == null) return 0;     // left (or closed) while the history was read
        outbound.offer(joinedFrame);
        joinedSeq.put(room, seq);
        int released = 0;
        for (Envelope e : held) {
            if (e.seq() == 0 || e.seq() > seq) {
                outbound.offer(e.frame());
                released++;
            }
        }
        return released;
    }

    synchronized boolean leave(RoomName room) {
        joining.remove(room);
        joinedSeq.remove(room);
        return rooms.remove(room);
    }

    synchronized void expiry(ScheduledFuture<?> next) {
        if (expiry != null) expiry.cancel(false);
        expiry = next;
    }

    void close() {
        expiry(null);
        outbound.close();
    }
}
