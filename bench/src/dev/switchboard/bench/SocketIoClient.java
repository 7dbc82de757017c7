package dev.switchboard.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Socket.IO 5 / Engine.IO 4 client over a plain WebSocket (transport=websocket, no long
 * polling), enough for the peer's events (bench/peer/server.mjs):
 *
 * <pre>
 *   server  0{"sid":..,"pingInterval":..}     Engine.IO open
 *   client  40{"user":"u1"}                   Socket.IO connect to "/" with auth
 *   server  40{"sid":..}  |  44{"message":..} connected | refused
 *   server  2   client 3                      Engine.IO ping/pong (the server pings)
 *   client  42&lt;id&gt;["join","room"]          emit with ack; server 43&lt;id&gt;[{"room":..}]
 *   client  42&lt;id&gt;["send",{room,text,ref}]   server 43&lt;id&gt;[{"ref":..,"id":..}]
 *   server  42["message",{id,room,from,text,ts,node}]
 * </pre>
 */
final class SocketIoClient extends Client {
    private final AtomicInteger nextAck = new AtomicInteger();

    SocketIoClient(int node, String user, Sink sink) {
        super(node, user, sink);
    }

    @Override
    CompletableFuture<Void> join(String room) {
        var joined = new CompletableFuture<Void>();
        String id = Integer.toString(nextAck.incrementAndGet());
        pending.put(id, joined);
        sendFrame("42" + id + "[\"join\",\"" + room + "\"]");
        return joined;
    }

    @Override
    void send(String room, String text, String ref) {
        // ack ids of sends are not tracked one by one: an ack that is not a pending join is a
        // send's
        sendFrame(
                "42"
                        + nextAck.incrementAndGet()
                        + "[\"send\",{\"room\":\""
                        + room
                        + "\",\"text\":\""
                        + text
                        + "\",\"ref\":\""
                        + ref
                        + "\"}]");
    }

    @Override
    protected void frame(String frame, long receivedNanos) {
        if (frame.isEmpty()) return;
        switch (frame.charAt(0)) {
            case '2' -> sendFrame("3"); // Engine.IO ping
            case '0' ->
                    sendFrame("40{\"user\":\"" + user + "\"}"); // Engine.IO open: connect with auth
            case '1' -> abort(); // Engine.IO close
            case '4' -> socketIo(frame, receivedNanos);
            default -> {}
        }
    }

    private void socketIo(String frame, long receivedNanos) {
        if (frame.length() < 2) return;
        switch (frame.charAt(1)) {
            case '2' -> { // EVENT
                if (frame.startsWith("42[\"message\"")) {
                    String text = field(frame, "text", 12);
                    if (text != null) sink.message(this, text, receivedNanos);
                }
            }
            case '3' -> { // ACK
                int end = 2;
                while (end < frame.length() && Character.isDigit(frame.charAt(end))) end++;
                var join = pending.remove(frame.substring(2, end));
                if (join != null) join.complete(null);
                else sink.ack(this);
            }
            case '0' -> ready.complete(this); // CONNECT answered
            case '4' -> { // CONNECT_ERROR
                sink.error(this, frame);
                ready.completeExceptionally(new IllegalStateException(frame));
            }
            default -> {}
        }
    }
}
