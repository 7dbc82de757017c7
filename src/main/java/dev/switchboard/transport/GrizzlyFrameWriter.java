package dev.switchboard.transport;

import jakarta.websocket.Session;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;

/**
 * Writes a frame already in its wire form ({@link WireFrames}) straight to the TCP connection of
 * Payara's HTTP listener (Grizzly) that the WebSocket was upgraded from. Tyrus's own writer on
 * Payara goes through the servlet output stream, a fresh 8 KiB buffer per flush from a foreign
 * thread, and the HTTP codec, to end in this connection's write queue; here the frame goes into
 * that queue directly, or through the filter chain where a filter may change the bytes, such as TLS
 * ({@link PlainHttpChain}). Tyrus still writes its control frames through its path: both end in the
 * one write queue, each as whole frames. Only ever loaded on a verified Payara.
 */
final class GrizzlyFrameWriter implements FrameWriter {
    private final Session session;

    @SuppressWarnings(
            "rawtypes") // Grizzly's write is generic in the peer address type, which is not ours to
    // name
    private final Connection connection;

    private final MemoryManager<?> memory;

    /**
     * The transport's own write queue, when the connection's filter chain would pass frames on
     * untouched; else null
     */
    @SuppressWarnings("rawtypes")
    private final AsyncQueueWriter queue;

    private final WireFrames frames;

    GrizzlyFrameWriter(Session session, Connection<?> connection, WireFrames frames) {
        this.session = session;
        this.connection = connection;
        this.memory = connection.getMemoryManager();
        this.queue =
                connection.getProcessor() instanceof FilterChain chain
                                && PlainHttpChain.passesBytesThrough(chain)
                                && connection.getTransport() instanceof TCPNIOTransport tcp
                        ? tcp.getAsyncQueueIO().getWriter()
                        : null;
        this.frames = frames;
    }

    /**
     * @return how frames reach the socket, for the node's log
     */
    String path() {
        return queue != null
                ? "the transport's write queue"
                : "the connection's filter chain " + connection.getProcessor();
    }

    @Override
    public void write(String text, Done done) {
        // sendText refuses a closed session (it still sends while the close handshake runs, as this
        // does)
        if (!session.isOpen()) {
            done.completed(new IllegalStateException("the socket is closed"));
            return;
        }
        try {
            enqueue(text, done);
        } catch (RuntimeException e) {
            done.completed(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void enqueue(String text, Done done) {
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

    /**
     * Reports a write once: when the queue took it under its limit, or when it was written or
     * failed.
     */
    private static final class Written extends AtomicBoolean
            implements CompletionHandler<WriteResult<?, ?>> {
        private final Done done;

        Written(Done done) {
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
        public void updated(WriteResult<?, ?> result) {}
    }
}
