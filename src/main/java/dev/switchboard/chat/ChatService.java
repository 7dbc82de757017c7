package dev.switchboard.chat;

import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

/**
 * What the rest of the application calls of chat: the endpoint's four operations, a notification
 * for a user, this node's socket count. Each is handed to the class that does that job.
 */
@ApplicationScoped
public class ChatService {
    @Inject SocketLifecycle sockets;
    @Inject FrameDispatch frames;
    @Inject LocalSockets local;
    @Inject Bus bus;

    /**
     * A server-side event for the user: a {@code notification} frame on every socket of theirs, on
     * any node.
     */
    public void notifyUser(UserId user, String event, JsonObject data) {
        bus.publish(Envelope.toUser(user.value(), ServerFrames.notification(event, data), null));
    }

    /**
     * See {@link SocketLifecycle#open}: nothing is sent before {@link ClientSocket#startSending()}.
     */
    ClientSocket open(
            String socketId, AuthenticatedUser user, OutboundQueue.Sink sink, SocketCloser closer) {
        return sockets.open(socketId, user, sink, closer);
    }

    /**
     * Applies one text frame. Every failure becomes an {@code error} frame; the socket stays open.
     */
    void handle(ClientSocket socket, String text, SocketCloser closer) {
        frames.handle(socket, text, closer);
    }

    void refuseBinary(ClientSocket socket) {
        frames.refuseBinary(socket);
    }

    /** Cleans up after a socket has closed, for whatever reason. */
    void closed(ClientSocket socket) {
        sockets.closed(socket);
    }

    /** Sockets open on this node. */
    public int connections() {
        return local.count();
    }
}
