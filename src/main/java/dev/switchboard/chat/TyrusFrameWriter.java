package dev.switchboard.chat;

import jakarta.websocket.Session;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * Writes a frame already in its wire form ({@link WireFrames}) to one connection of a Tyrus
 * WebSocket container, through the connection's own writer: the path Tyrus's {@code sendText}
 * takes after it has encoded and framed the text, which it would otherwise do again for every
 * recipient (see docs/PERFORMANCE.md). The standard API has no way to send prepared bytes, and
 * Tyrus keeps the writer in private fields, hence the reflection, resolved once. On Payara,
 * {@link GrizzlyFrameWriter} goes one layer further down and this class is its fallback;
 * {@link FrameWriters} falls back to {@code sendText} wherever neither can be used. Only ever
 * loaded on Tyrus: it links against Tyrus's SPI.
 */
final class TyrusFrameWriter implements FrameWriters.RawWriter {
    private static final Field WEB_SOCKET;          // TyrusRemoteEndpoint.webSocket
    private static final Field PROTOCOL_HANDLER;    // TyrusWebSocket.protocolHandler
    private static final Field WRITER;              // ProtocolHandler.writer

    static {
        try {
            WEB_SOCKET = ContainerFields.field("org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
            PROTOCOL_HANDLER = ContainerFields.field("org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
            WRITER = ContainerFields.field("org.glassfish.tyrus.core.ProtocolHandler", "writer");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not the Tyrus this was written for: " + e, e);
        }
        if (!Writer.class.isAssignableFrom(WRITER.getType())) throw new IllegalStateException("ProtocolHandler.writer is a " + WRITER.getType());
    }

    private final Writer writer;
    private final WireFrames frames;

    private TyrusFrameWriter(Writer writer, WireFrames frames) {
        this.writer = writer;
        this.frames = frames;
    }

    /** @param writer a connection's writer, from {@link #writerOf} */
    static TyrusFrameWriter over(Object writer, WireFrames frames) {
        return new TyrusFrameWriter((Writer) writer, frames);
    }

    /** @return the connection's writer, or null when this session is not Tyrus's or its writer is not set yet */
    static Writer writerOf(Session session) throws ReflectiveOperationException {
        Object remote = session.getAsyncRemote();
        if (!WEB_SOCKET.getDeclaringClass().isInstance(remote)) return null;
        Object webSocket = WEB_SOCKET.get(remote);
        Object protocolHandler = webSocket == null ? null : PROTOCOL_HANDLER.get(webSocket);
        return protocolHandler == null ? null : WRITER.get(protocolHandler) instanceof Writer w ? w : null;
    }

    @Override
    public void write(String text, OutboundQueue.Completion done) {
        writer.write(frames.of(text), new CompletionHandler<>() {
            @Override
            public void completed(ByteBuffer written) {
                done.completed(null);
            }

            @Override
            public void failed(Throwable failure) {
                done.completed(failure);
            }

            @Override
            public void cancelled() {
                done.completed(new CancellationException("write cancelled"));
            }
        });
    }
}
