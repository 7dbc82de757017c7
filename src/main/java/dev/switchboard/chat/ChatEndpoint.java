package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.auth.InvalidTokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.transport.FrameWriter;
import dev.switchboard.transport.SocketTransport;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /ws?token=<JWT>}: one instance per connection, holding only that connection's socket.
 * A bad token is normally refused with 401 by {@code WebSocketHandshakeFilter}, and the user it
 * verified comes with the handshake; the check here is the contract's other allowed answer (close
 * 1008 before any frame) for servers where the filter's user does not reach the endpoint.
 */
@ServerEndpoint(value = "/ws", configurator = ChatEndpointConfigurator.class)
public class ChatEndpoint {
    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());
    private static final int MAX_REASON_BYTES = 123;

    /**
     * How long after {@code @OnOpen} returns the welcome goes out (see open). Of 200 clients in a
     * row that closed on the welcome, 46 left a socket open with no delay, 5 with 1 ms, none with 5
     * ms; with both cores kept busy by other processes, 2 of 300 still did at 5 ms.
     */
    static final Duration WELCOME_DELAY = Duration.ofMillis(5);

    private final ChatService chat;
    private final TokenVerifier tokens;
    private final WorkerPools pools;
    private final SocketTransport transport;

    private Session session;
    private volatile ClientSocket socket;

    /** Writes this socket's frames: the container's sendText, or bytes encoded once per message. */
    private volatile FrameWriter writer;

    /**
     * The connection closed; set before the socket is released, by whichever of open and close ends
     * last.
     */
    private volatile boolean closed;

    private final java.util.concurrent.atomic.AtomicBoolean released =
            new java.util.concurrent.atomic.AtomicBoolean();

    ChatEndpoint(
            ChatService chat, TokenVerifier tokens, WorkerPools pools, SocketTransport transport) {
        this.chat = chat;
        this.tokens = tokens;
        this.pools = pools;
        this.transport = transport;
    }

    @OnOpen
    public void open(Session session) {
        this.session = session;
        writer = transport.open(session);
        List<String> token = session.getRequestParameterMap().get("token");
        AuthenticatedUser user;
        try {
            user =
                    tokens.verifyHandshake(
                            session.getUserPrincipal(),
                            token == null || token.isEmpty() ? null : token.get(0));
        } catch (InvalidTokenException e) {
            close(CloseCodes.VIOLATED_POLICY, e.getMessage());
            return;
        }
        ClientSocket opened;
        try {
            opened = open(user);
        } catch (SwitchboardException e) {
            // Refused before any frame: over the user's socket limit (1008), or presence
            // unreachable (1013). The close waits as the welcome would (see below): closed at once,
            // it raced Tyrus's upgrade handler, and the container logged a SEVERE stack trace for
            // the request.
            int code =
                    e.code() == ErrorCode.TOO_MANY_SOCKETS
                            ? CloseCodes.VIOLATED_POLICY
                            : CloseCodes.TRY_AGAIN_LATER;
            try {
                pools.timers()
                        .schedule(
                                () -> close(code, e.code().wire()),
                                WELCOME_DELAY.toMillis(),
                                TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                close(code, e.code().wire());
            }
            return;
        }
        socket = opened;
        // the client may have gone while open() waited (say, on the broker binding its user): clean
        // up here then
        if (closed || !session.isOpen()) release();
        // Tyrus's servlet upgrade handler drops a client's close that arrives before it has stored
        // the connection this method is part of opening, and @OnClose never comes: a client that
        // closed as soon as it saw the welcome stayed counted online until the dead-socket sweep.
        // So the welcome, the first frame a client can react to, waits until the handler is done.
        // Nothing public tells when that is; see WELCOME_DELAY. A close lost all the same shows as
        // a failed send (connectionLost) or, if nothing is sent, at the sweep.
        try {
            pools.timers()
                    .schedule(
                            opened::startSending, WELCOME_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            opened.startSending(); // shutting down
        }
    }

    private ClientSocket open(AuthenticatedUser user) {
        return chat.open(
                session.getId(),
                user,
                new OutboundQueue.Sink() {
                    @Override
                    public void send(String frame, OutboundQueue.Completion done) {
                        FrameWriter.Done checked =
                                failure -> {
                                    if (failure != null) connectionLost();
                                    done.completed(failure);
                                };
                        writer.write(frame, checked);
                    }

                    @Override
                    public void ping(long marker) {
                        ChatEndpoint.this.ping(marker);
                    }
                },
                this::close);
    }

    /** A write failed: the connection is gone, whether or not the container reports the close. */
    private void connectionLost() {
        closed = true;
        release();
        close(
                CloseCodes.GOING_AWAY,
                "connection lost"); // for the container's sake: a no-op when it knows already
    }

    private void release() {
        ClientSocket opened = socket;
        if (opened != null && released.compareAndSet(false, true)) chat.closed(opened);
    }

    @OnMessage(maxMessageSize = ChatSettings.MAX_FRAME_BYTES)
    public void message(String text) {
        if (socket != null) chat.handle(socket, text, this::close);
    }

    /** The contract's frames are JSON text: a binary frame is answered like any other bad frame. */
    @OnMessage(maxMessageSize = ChatSettings.MAX_FRAME_BYTES)
    public void binary(ByteBuffer data) {
        if (socket != null) chat.refuseBinary(socket);
    }

    @OnMessage
    public void pong(PongMessage pong) {
        ByteBuffer data = pong.getApplicationData();
        if (socket == null) return;
        if (data.remaining() == Long.BYTES) socket.pong(data.getLong());
        else socket.heard(); // an unsolicited pong (a heartbeat): still a sign of life
    }

    @OnClose
    public void closed(CloseReason reason) {
        closed = true;
        release();
    }

    @OnError
    public void error(Throwable failure) {
        // A peer that vanishes mid-write is routine; @OnClose does the cleanup.
        LOG.log(Level.FINE, "socket error", failure);
    }

    private void ping(long marker) {
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, marker));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ping failed", e);
            connectionLost();
        }
    }

    /** Closes off the caller's thread: the close handshake may wait on the peer. */
    private void close(int code, String reason) {
        Runnable closing =
                () -> {
                    try {
                        if (session.isOpen())
                            session.close(
                                    new CloseReason(
                                            CloseReason.CloseCodes.getCloseCode(code),
                                            truncate(reason)));
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.FINE, "close failed", e);
                    }
                };
        try {
            pools.timers().execute(closing);
        } catch (RejectedExecutionException e) {
            closing.run(); // shutting down
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_REASON_BYTES
                ? reason
                : new String(bytes, 0, MAX_REASON_BYTES - 3, StandardCharsets.US_ASCII) + "...";
    }
}
