package dev.switchboard.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;
import java.util.logging.Logger;

/**
 * How a socket's text frames reach the WebSocket container. On Payara (Tyrus) each message is
 * encoded once ({@link WireFrames}) and the same bytes go to every recipient's connection
 * ({@link TyrusFrameWriter}); elsewhere, or with {@code switchboard.ws.shared-frames=false}, each
 * socket's frames go through the standard {@code sendText}, which encodes them per socket.
 */
@ApplicationScoped
public class FrameWriters {
    private static final Logger LOG = Logger.getLogger(FrameWriters.class.getName());
    private static final String TYRUS_PACKAGE = "org.glassfish.tyrus.";

    /** Writes one prepared frame to one connection; calls {@code done} with null once written, with the failure otherwise. */
    interface RawWriter {
        void write(ByteBuffer frame, OutboundQueue.Completion done);
    }

    @Inject ChatSettings settings;

    private final WireFrames wire = new WireFrames();
    /** Set once it is known that prepared frames cannot be written here: every socket then uses sendText. */
    private volatile String unavailable;
    private volatile boolean reported;

    /** @return a writer of prepared frames for the session's connection, or null: send with {@code sendText} then */
    RawWriter rawWriter(Session session) {
        if (!settings.sharedFrames() || unavailable != null) return null;
        if (!session.getAsyncRemote().getClass().getName().startsWith(TYRUS_PACKAGE)) {
            giveUp("the WebSocket container is not Tyrus (" + session.getAsyncRemote().getClass().getName() + ")");
            return null;
        }
        try {
            RawWriter writer = TyrusFrameWriter.of(session);
            if (writer != null && !reported) {
                reported = true;
                LOG.info("WebSocket frames are encoded once per message and written through Tyrus's connection writer");
            }
            return writer;
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            giveUp("this Tyrus does not have the fields it was written for: " + e);
            return null;
        }
    }

    /** The node's encodings, for the sockets to use directly: a call through this bean's CDI proxy per frame costs more than the encoding saves. */
    WireFrames wireFrames() {
        return wire;
    }

    private synchronized void giveUp(String why) {
        if (unavailable != null) return;
        unavailable = why;
        LOG.info("WebSocket frames are encoded by the container for each socket (sendText): " + why);
    }
}
