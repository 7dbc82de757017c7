package dev.switchboard.chat;

import jakarta.websocket.Session;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * Writes a frame already in its wire form ({@link WireFrames}) to one connection of Payara's
 * WebSocket container (Tyrus), through the connection's own writer: the path Tyrus's
 * {@code sendText} takes after it has encoded and framed the text, which it would otherwise do
 * again for every recipient (together 14 % of a node's CPU at 20,000 deliveries/s, see
 * docs/PERFORMANCE.md). The standard API has no way to send prepared bytes, and Tyrus keeps the
 * writer in private fields, hence the reflection, resolved once; {@link FrameWriters} falls back
 * to {@code sendText} wherever this class cannot be used. Only ever loaded on Tyrus: it links
 * against Tyrus's SPI.
 */
final class TyrusFrameWriter implements FrameWriters.RawWriter {
    private static final Field WEB_SOCKET;          // TyrusRemoteEndpoint.webSocket
    private static final Field PROTOCOL_HANDLER;    // TyrusWebSocket.protocolHandler
    private static final Field WRITER;              // ProtocolHandler.writer

    static {
        try {
            WEB_SOCKET = field("org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
            PROTOCOL_HANDLER = field("org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
            WRITER = field("org.glassfish.tyrus.core.ProtocolHandler", "writer");
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

    /** @return the connection's writer, or null when this session is not Tyrus's or its writer is not set yet */
    static TyrusFrameWriter of(Session session, WireFrames frames) throws ReflectiveOperationException {
        Object remote = session.getAsyncRemote();
        if (!WEB_SOCKET.getDeclaringClass().isInstance(remote)) return null;
        Object webSocket = WEB_SOCKET.get(remote);
        Object protocolHandler = webSocket == null ? null : PROTOCOL_HANDLER.get(webSocket);
        Object writer = protocolHandler == null ? null : WRITER.get(protocolHandler);
        return writer instanceof Writer w ? new TyrusFrameWriter(w, frames) : null;
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

    private static Field field(String className, String name) throws ReflectiveOperationException {
        Field field = Class.forName(className, false, TyrusFrameWriter.class.getClassLoader()).getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
