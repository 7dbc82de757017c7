package dev.switchboard.transport;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.tyrus.spi.Writer;

/**
 * What a socket gets on a verified Payara: the idle timer off, the handshake's leftovers released,
 * and a writer straight to its Grizzly connection. Every private member on the way is resolved at
 * once by {@link #resolve}, so that a missing one shows at start, not at the first socket. Links
 * against Grizzly and Tyrus: loaded only once {@link SocketTransport} has checked the versions.
 */
final class PayaraSockets {
    private static final Logger LOG = Logger.getLogger(PayaraSockets.class.getName());

    private final Field sessionScheduler; // TyrusSession.service, written (not final)
    private final Field webSocket; // TyrusRemoteEndpoint.webSocket
    private final Field protocolHandler; // TyrusWebSocket.protocolHandler
    private final Field writer; // ProtocolHandler.writer
    private final Field upgradeHandler; // TyrusServletWriter.tyrusHttpUpgradeHandler
    // TyrusHttpUpgradeHandler.getWebConnection(), overridden by the proxy Tyrus hands the writer
    private final Method webConnection;
    private final Field request; // WebConnectionImpl.request (Catalina's)
    private final Method grizzlyRequest; // Catalina Request.getCoyoteRequest(), public

    /** The node's encodings, shared by every socket's writer. */
    private final WireFrames frames = new WireFrames();

    private final AtomicBoolean reported = new AtomicBoolean();

    private PayaraSockets() throws ReflectiveOperationException {
        sessionScheduler =
                ContainerFields.writable("org.glassfish.tyrus.core.TyrusSession", "service");
        webSocket =
                ContainerFields.field("org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
        protocolHandler =
                ContainerFields.field("org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
        writer = ContainerFields.field("org.glassfish.tyrus.core.ProtocolHandler", "writer");
        upgradeHandler =
                ContainerFields.field(
                        "org.glassfish.tyrus.servlet.TyrusServletWriter",
                        "tyrusHttpUpgradeHandler");
        webConnection = upgradeHandler.getType().getDeclaredMethod("getWebConnection");
        webConnection.setAccessible(true);
        request =
                ContainerFields.field("org.apache.catalina.connector.WebConnectionImpl", "request");
        grizzlyRequest = request.getType().getMethod("getCoyoteRequest");
        if (!Writer.class.isAssignableFrom(writer.getType()))
            throw new NoSuchFieldException("ProtocolHandler.writer is a " + writer.getType());
        if (!Request.class.isAssignableFrom(grizzlyRequest.getReturnType()))
            throw new NoSuchMethodException(
                    "getCoyoteRequest() returns a " + grizzlyRequest.getReturnType());
    }

    /**
     * @return every member resolved; throws (ReflectiveOperationException, LinkageError) if one is
     *     not what this was written for
     */
    static PayaraSockets resolve() throws ReflectiveOperationException {
        return new PayaraSockets();
    }

    /**
     * @return the socket's writer, or null when its connection cannot be reached (it then uses
     *     sendText)
     */
    FrameWriter open(Session session) throws ReflectiveOperationException {
        ContainerIdleTimer.switchOff(session, sessionScheduler);
        Object handler = upgradeHandler(session);
        Object webConnection = handler == null ? null : this.webConnection.invoke(handler);
        if (!request.getDeclaringClass().isInstance(webConnection)) return null;
        Object catalina = request.get(webConnection);
        if (catalina == null || !(grizzlyRequest.invoke(catalina) instanceof Request upgraded))
            return null;
        HandshakeLeftovers.release(handler, upgraded);
        Connection<?> connection = upgraded.getConnection();
        if (connection == null || !connection.isOpen()) return null;
        GrizzlyFrameWriter frameWriter = new GrizzlyFrameWriter(session, connection, frames);
        if (!reported.getAndSet(true))
            LOG.info(
                    "WebSocket frames are encoded once per message and written through Grizzly's connection, to "
                            + frameWriter.path());
        return frameWriter;
    }

    /**
     * @return Tyrus's servlet upgrade handler under the session, or null where the chain of objects
     *     is not the one expected
     */
    private Object upgradeHandler(Session session) throws IllegalAccessException {
        Object remote = session.getAsyncRemote();
        if (!webSocket.getDeclaringClass().isInstance(remote)) return null;
        Object socket = webSocket.get(remote);
        Object handler = socket == null ? null : protocolHandler.get(socket);
        Object connectionWriter = handler == null ? null : writer.get(handler);
        return upgradeHandler.getDeclaringClass().isInstance(connectionWriter)
                ? upgradeHandler.get(connectionWriter)
                : null;
    }
}
