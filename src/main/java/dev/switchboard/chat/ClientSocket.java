package dev.switchboard.chat;

import dev.switchboard.RoomName;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.routing.Envelope;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One connected socket: its user, its rooms and its outbound queue.
 *
 * <p>Exactly once per socket around a join: from the moment the socket is registered in a room
 * until its {@code joined} frame is queued, live frames for that room are held back. The {@code
 * joined} frame then goes first, followed by the live messages it does not already carry, so no
 * message is lost between the history read and the live stream, and none arrives twice. A live
 * message with a seq at or below the joined seq is dropped, unless it falls in a gap of the range
 * {@code joined} carries: in a cluster another node may still have been storing it when the history
 * was read.
 */
final class ClientSocket {
    private final String id;
    private final OutboundQueue outbound;
    private final SocketCloser closer;
    private final Set<RoomName> rooms = ConcurrentHashMap.newKeySet();

    /**
     * Rooms whose {@code joined} is not yet queued, with the frames held back meanwhile. Guarded by
     * this.
     */
    private final Map<RoomName, List<Envelope>> joining = new HashMap<>();

    /** What each room's {@code joined} carried. Guarded by this. */
    private final Map<RoomName, JoinCut> cuts = new HashMap<>();

    private final ControlRate controlRate = new ControlRate();
    private volatile AuthenticatedUser user;
    private volatile long lastHeardNanos = System.nanoTime();
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

    String id() {
        return id;
    }

    AuthenticatedUser user() {
        return user;
    }

    void user(AuthenticatedUser refreshed) {
        this.user = refreshed;
    }

    Set<RoomName> rooms() {
        return rooms;
    }

    boolean isIn(RoomName room) {
        return rooms.contains(room);
    }

    /**
     * @return 0 when one more control frame fits this socket's budget, else the milliseconds until
     *     it would
     */
    long tryControlFrame(long nowMs, int limit) {
        return controlRate.tryAcquire(nowMs, limit);
    }

    void send(String frame) {
        outbound.offer(frame);
    }

    /**
     * Sends the frames queued since the socket was registered, starting with its {@code welcome}.
     */
    void startSending() {
        outbound.start();
    }

    /** Something (a frame or a pong) came from the client. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    private volatile long lastKeepAliveNanos;

    /**
     * A ping when the client has been silent for {@code after} and was not pinged within that time:
     * a live client answers with a pong, which counts as heard.
     */
    void keepAliveIfSilent(long after) {
        long now = System.nanoTime();
        if (now - lastHeardNanos > after && now - lastKeepAliveNanos > after) {
            lastKeepAliveNanos = now;
            outbound.keepAlive();
        }
    }

    /** Closes the socket with 1013 when its client stopped reading (see {@link OutboundQueue}). */
    void checkStalled() {
        outbound.overflowIfStalled();
    }

    /** A pong: the client has read every frame sent before the ping that carried {@code marker}. */
    void pong(long marker) {
        heard();
        outbound.confirmed(marker);
    }

    /**
     * @return whether the frame was queued for this socket
     */
    synchronized boolean deliver(RoomName room, Envelope envelope) {
        if (id.equals(envelope.exceptSocket())) return false;
        List<Envelope> held = joining.get(room);
        if (held != null) {
            held.add(envelope);
            return false;
        }
        JoinCut cut = cuts.get(room);
        if (cut != null && cut.covers(envelope.seq())) return false;
        return outbound.offer(envelope.frame());
    }

    synchronized boolean deliver(Envelope envelope) {
        return !id.equals(envelope.exceptSocket()) && outbound.offer(envelope.frame());
    }

    synchronized void beginJoin(RoomName room) {
        rooms.add(room);
        joining.put(room, new ArrayList<>());
    }

    /**
     * @param seq the room's seq in {@code joined}
     * @param included the seqs of the messages in {@code joined}
     * @return the number of held frames released after the {@code joined} frame
     */
    synchronized int completeJoin(RoomName room, String joinedFrame, long seq, long[] included) {
        List<Envelope> held = joining.remove(room);
        if (held == null) return 0; // left (or closed) while the history was read
        outbound.offer(joinedFrame);
        JoinCut cut = JoinCut.of(seq, included);
        cuts.put(room, cut);
        int released = 0;
        for (Envelope e : held) {
            if (!cut.covers(e.seq())) {
                outbound.offer(e.frame());
                released++;
            }
        }
        return released;
    }

    /**
     * The seqs a {@code joined} frame stands for: all up to {@code seq}, less the gaps in the range
     * it carried.
     */
    private record JoinCut(long seq, long first, BitSet included) {
        static JoinCut of(long seq, long[] included) {
            if (included.length == 0) return new JoinCut(seq, seq + 1, new BitSet());
            long first = included[0];
            BitSet bits = new BitSet();
            for (long s : included) bits.set((int) (s - first));
            return new JoinCut(seq, first, bits);
        }

        boolean covers(long messageSeq) {
            if (messageSeq <= 0 || messageSeq > seq) return false;
            return messageSeq < first || included.get((int) (messageSeq - first));
        }
    }

    synchronized boolean leave(RoomName room) {
        joining.remove(room);
        cuts.remove(room);
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
