package dev.switchboard.chat;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a frame already in its wire form ({@link WireFrames}) straight to the TCP connection of
 * Payara's HTTP listener (Grizzly) that a WebSocket was upgraded from.
 * <p>
 * On Payara, Tyrus's connection writer ({@link TyrusFrameWriter}) is its servlet writer: each
 * frame goes through the servlet output stream, Grizzly's HTTP output buffer (a fresh 8 KiB buffer
 * allocated for every flush made on a thread that is not Grizzly's own, which ours are not), the
 * HTTP codec and the rest of the listener's filter chain, only to end in this connection's write
 * queue. Here the frame goes into that queue directly, or through the filter chain where the chain
 * has a filter that may change the bytes, such as TLS ({@link PlainHttpChain}). Measured: about
 * 5 % less server CPU per delivery, and lower latency (docs/PERFORMANCE.md).
 * <p>
 * Tyrus still writes its own control frames (pongs, pings, the close) through the servlet path.
 * That is safe: both paths end in the connection's one write queue, each as whole frames, and the
 * handshake's response was flushed into that queue before the socket opened.
 * <p>
 * The connection is reached through private fields of Tyrus's servlet writer and of Payara's
 * servlet connector, resolved once; {@link FrameWriters} falls back to Tyrus's writer wherever this
 * class cannot be used. Only ever loaded on Payara: it links against Grizzly.
 */
final class GrizzlyFrameWriter implements FrameWriters.RawWriter {
    private static final String TYRUS_SERVLET_WRITER = "org.glassfish.tyrus.servlet.TyrusServletWriter";
    private static final Field UPGRADE_HANDLER;     // TyrusServletWriter.tyrusHttpUpgradeHandler
    private static final Method WEB_CONNECTION;     // TyrusHttpUpgradeHandler.getWebConnection(), overridden by the proxy Tyrus hands the writer
    private static final Field REQUEST;             // WebConnectionImpl.request (Catalina's)
    private static final Method GRIZZLY_REQUEST;    // Catalina Request.getCoyoteRequest(), Grizzly's request

    static {
        try {
            UPGRADE_HANDLER = ContainerFields.field(TYRUS_SERVLET_WRITER, "tyrusHttpUpgradeHandler");
            WEB_CONNECTION = UPGRADE_HANDLER.getType().getDeclaredMethod("getWebConnection");
            WEB_CONNECTION.setAccessible(true);
            REQUEST = ContainerFields.field("org.apache.catalina.connector.WebConnectionImpl", "request");
            GRIZZLY_REQUEST = REQUEST.getType().getMethod("getCoyoteRequest");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not the Payara this was written for: " + e, e);
        }
        if (!Request.class.isAssignableFrom(GRIZZLY_REQUEST.getReturnType())) throw new IllegalStateException("getCoyoteRequest() returns a " + GRIZZLY_REQUEST.getReturnType());
    }

    @SuppressWarnings("rawtypes")    // Grizzly's write is generic in the peer address type, which is not ours to name
    private final Connection connection;
    private final MemoryManager<?> memory;
    /** The transport's own write queue, when the connection's filter chain would pass frames on untouched; else null */
    @SuppressWarnings("rawtypes")
    private final AsyncQueueWriter queue;
    private final WireFrames frames;

    private GrizzlyFrameWriter(Connection<?> connection, WireFrames frames) {
        this.connection = connection;
        this.memory = connection.getMemoryManager();
        this.queue = connection.getProcessor() instanceof FilterChain chain && PlainHttpChain.passesBytesThrough(chain)
                && connection.getTransport() instanceof TCPNIOTransport tcp ? tcp.getAsyncQueueIO().getWriter() : null;
        this.frames = frames;
    }

    /** @return how frames reach the socket, for the node's log */
    String path() {
        return queue != null ? "the transport's write queue" : "the connection's filter chain " + connection.getProcessor();
    }

    /**
     * @return a writer to the connection under Tyrus's {@code writer}, or null when that is not Tyrus's servlet writer or has no open connection.
     * On the way it lets go of what the handshake's request no longer needs ({@link HandshakeLeftovers}).
     */
    static GrizzlyFrameWriter of(Object writer, WireFrames frames) throws ReflectiveOperationException {
        if (!UPGRADE_HANDLER.getDeclaringClass().isInstance(writer)) return null;
        Object handler = UPGRADE_HANDLER.get(writer);
        Object webConnection = handler == null ? null : WEB_CONNECTION.invoke(handler);
        if (!REQUEST.getDeclaringClass().isInstance(webConnection)) return null;
        Object request = REQUEST.get(webConnection);
        if (request == null || !(GRIZZLY_REQUEST.invoke(request) instanceof Request upgraded)) return null;
        HandshakeLeftovers.release(handler, upgraded);
        Connection<?> connection = upgraded.getConnection();
        return connection != null && connection.isOpen() ? new GrizzlyFrameWriter(connection, frames) : null;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void write(String text, OutboundQueue.Completion done) {
        Written written = new Written(done);
        Buffer frame = Buffers.wrap(memory, frames.of(text));
        if (queue != null) queue.write(connection, null, frame, written, (MessageCloner) null);
        else connection.write(frame, written);
        // As the servlet path did: a frame the connection's write queue took while under its limit
        // counts as sent, so a client that reads in bursts is not taken for a slow consumer while
        // the queue (up to its limit) and the kernel hold its frames; past the limit the frame
        // counts only once written. A failure after that shows at the next write, and ping/pong
        // accounting (OutboundQueue) catches a client that stops reading.
        if (connection.canWrite()) written.report(null);
    }

    /** Reports a write once: when the queue took it under its limit, or when it was written or failed. */
    private static final class Written extends AtomicBoolean implements CompletionHandler<WriteResult<?, ?>> {
        private final OutboundQueue.Completion done;

        Written(OutboundQueue.Completion done) {
            this.done = done;
        }

        void report(Throwable failure) {
            if (compareAndSet(false, true)) done.completed(failure);
        }

        @Override
        public void completed(WriteResult<?, ?> result) {
            report(null);
        }

        @Override
        public void failed(Throwable failure) {
            report(failure);
        }

        @Override
        public void cancelled() {
            report(new CancellationException("write cancelled"));
        }

        @Override
        public void updated(WriteResult<?, ?> result) {
        }
    }
}
