package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.QuietLog;
import dev.switchboard.SwitchboardException;
import dev.switchboard.node.Counters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One text frame, on its socket's thread: decoded, checked against the socket's control-frame
 * budget, handed to the class that applies it. Every failure becomes an {@code error} frame with
 * the frame's {@code ref}; the socket stays open.
 */
@ApplicationScoped
class FrameDispatch {
    private static final QuietLog FAULTS =
            new QuietLog(Logger.getLogger(FrameDispatch.class.getName()), 10);

    @Inject ChatSettings settings;
    @Inject SocketRooms rooms;
    @Inject MessageIntake messages;
    @Inject HistoryReads reads;
    @Inject SocketLifecycle sockets;
    @Inject Counters counters;

    void handle(ClientSocket socket, String text, SocketCloser closer) {
        socket.heard();
        String ref = null;
        JsonObject json = null;
        try {
            json = FrameDecoder.parse(text);
            ref = FrameDecoder.ref(json);
            apply(socket, FrameDecoder.decode(json), ref, closer);
        } catch (SwitchboardException e) {
            if (json == null) ref = FrameDecoder.refOfUnparsed(text);
            if (e.code() == ErrorCode.RATE_LIMITED) counters.rateLimited();
            socket.send(ServerFrames.error(e, ref));
        } catch (RuntimeException e) {
            // a fault of ours, not the client's: with its stack, but not once per frame of a flood
            FAULTS.log(
                    Level.WARNING,
                    "frame-failed",
                    () -> "frame from " + socket.user().id() + " failed",
                    e);
            socket.send(
                    ServerFrames.error(
                            new SwitchboardException(ErrorCode.INTERNAL, "unexpected server fault"),
                            ref));
        }
    }

    void refuseBinary(ClientSocket socket) {
        socket.heard();
        socket.send(
                ServerFrames.error(
                        new SwitchboardException(
                                ErrorCode.BAD_REQUEST,
                                "frames are JSON text; binary frames are not accepted"),
                        null));
    }

    private void apply(ClientSocket socket, ClientFrame frame, String ref, SocketCloser closer) {
        if (isControl(frame)) checkControlRate(socket);
        if (frame instanceof ClientFrame.Join f) rooms.join(socket, f, ref);
        else if (frame instanceof ClientFrame.Leave f) rooms.leave(socket, f.room());
        else if (frame instanceof ClientFrame.Send f) messages.send(socket, f, ref);
        else if (frame instanceof ClientFrame.Direct f) messages.direct(socket, f, ref);
        else if (frame instanceof ClientFrame.Typing f) rooms.typing(socket, f);
        else if (frame instanceof ClientFrame.SetStatus f) rooms.status(socket, f.status());
        else if (frame instanceof ClientFrame.History f) reads.history(socket, f, ref);
        else if (frame instanceof ClientFrame.Refresh f) sockets.refresh(socket, f.token(), closer);
        else if (frame instanceof ClientFrame.Ping) socket.send(ServerFrames.pong());
    }

    /** The contract's control frames, limited per socket (PROTOCOL.md section 4). */
    private static boolean isControl(ClientFrame frame) {
        return frame instanceof ClientFrame.Join
                || frame instanceof ClientFrame.Leave
                || frame instanceof ClientFrame.Typing
                || frame instanceof ClientFrame.SetStatus
                || frame instanceof ClientFrame.History;
    }

    private void checkControlRate(ClientSocket socket) {
        long retryAfter =
                socket.tryControlFrame(
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime()), settings.controlRate());
        if (retryAfter > 0)
            throw ChatSettings.rateLimited(settings.controlRate(), "control frames", retryAfter);
    }
}
