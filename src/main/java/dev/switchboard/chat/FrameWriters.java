package dev.switchboard.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;

import java.util.logging.Logger;

/**
 * How a socket's text frames reach the client. On Payara each message is encoded once
 * ({@link WireFrames}) and the same bytes go straight to every recipient's TCP connection
 * ({@link GrizzlyFrameWriter}); on another Tyrus container, through Tyrus's connection writer
 * ({@link TyrusFrameWriter}); elsewhere, or with {@code switchboard.ws.shared-frames=false}, each
 * socket's frames go through the standard {@code sendText}, which encodes them per socket.
 */
@ApplicationScoped
public class FrameWriters {
    private static final Logger LOG = Logger.getLogger(FrameWriters.class.getName());
    private static final String TYRUS_PACKAGE = "org.glassfish.tyrus.";

    /**
     * Writes a text frame to one connection in its shared wire form; calls {@code done} with null
     * once written, with the failure otherwise.
     */
    interface RawWriter {
        void write(String text, OutboundQueue.Completion done);
    }

    @Inject ChatSettings settings;

    /**
     * The node's encodings, shared by every socket's writer. The writers hold it themselves: a call
     * through this bean's CDI proxy per frame cost as much as the encoding saved.
     */
    private final WireFrames wire = new WireFrames();
    /** Set once it is known that prepared frames cannot be written here: every socket then uses sendText. */
    private volatile String unavailable;
    private volatile boolean reported;
    /** Set once it is known that the connection under Tyrus cannot be reached: frames then go through Tyrus's writer. */
    private volatile String grizzlyUnavailable;

    /** @return a writer of prepared frames for the session's connection, or null: send with {@code sendText} then */
    RawWriter rawWriter(Session session) {
        if (!settings.sharedFrames() || unavailable != null) return null;
        String remote = session.getAsyncRemote().getClass().getName();
        if (!remote.startsWith(TYRUS_PACKAGE)) {
            giveUp("the WebSocket container is not Tyrus (" + remote + ")");
            return null;
        }
        Object tyrus;     // Tyrus's Writer, typed as Object here so that this class links without Tyrus
        try {
            tyrus = TyrusFrameWriter.writerOf(session);
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            giveUp("this Tyrus does not have the fields it was written for: " + e);
            return null;
        }
        if (tyrus == null) return null;
        RawWriter writer = grizzlyWriter(tyrus);
        if (writer == null) writer = TyrusFrameWriter.over(tyrus, wire);
        if (!reported) {
            reported = true;
            LOG.info("WebSocket frames are encoded once per message and written through "
                    + (writer instanceof GrizzlyFrameWriter g ? "Grizzly's connection, to " + g.path() : "Tyrus's connection writer"));
        }
        return writer;
    }

    /** @return a writer straight to the socket's Grizzly connection, or null: write through Tyrus's writer then */
    private RawWriter grizzlyWriter(Object tyrus) {
        if (grizzlyUnavailable != null) return null;
        try {
            return GrizzlyFrameWriter.of(tyrus, wire);
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            if (grizzlyUnavailable == null) {
                grizzlyUnavailable = e.toString();
                LOG.info("WebSocket frames are written through Tyrus's connection writer, not straight to the connection: " + e);
            }
            return null;
        }
    }

    private synchronized void giveUp(String why) {
        if (unavailable != null) return;
        unavailable = why;
        LOG.info("WebSocket frames are encoded by the container for each socket (sendText): " + why);
    }
}
