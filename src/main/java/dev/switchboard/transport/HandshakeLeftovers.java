package dev.switchboard.transport;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.util.CharChunk;
import org.glassfish.grizzly.http.util.DataChunk;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.http.util.Parameters;

/**
 * Lets go of what the HTTP exchange of a WebSocket handshake holds and an open socket never uses.
 * Payara keeps the upgraded request and its response for the connection's life, with the header
 * fields of both, the decoded query and Grizzly's two 1,024-character {@link Parameters} buffers,
 * and Tyrus keeps its copy of the handshake request: 31 KB of heap per idle socket, 20 without them
 * (docs/PERFORMANCE.md). Tyrus copied what the session keeps before {@code @OnOpen}; each part is
 * cleared as Grizzly clears it between requests, and a part whose field is missing is left alone.
 */
final class HandshakeLeftovers {
    private static final Logger LOG = Logger.getLogger(HandshakeLeftovers.class.getName());
    private static final String PARAMETERS = "org.glassfish.grizzly.http.util.Parameters";
    private static final AtomicBoolean reported = new AtomicBoolean();

    private HandshakeLeftovers() {}

    /** The private fields, resolved on first use; null where this container does not have one. */
    private static final class Fields {
        static final Field NAME_BUFFER =
                ContainerFields.fieldOrNull(PARAMETERS, "tmpNameC", CharChunk.class::equals);
        static final Field VALUE_BUFFER =
                ContainerFields.fieldOrNull(PARAMETERS, "tmpValueC", CharChunk.class::equals);
        static final Field DECODED_QUERY =
                ContainerFields.fieldOrNull(PARAMETERS, "decodedQuery", DataChunk.class::equals);
        static final Field HEADER_FIELDS =
                ContainerFields.writableOrNull(
                        "org.glassfish.grizzly.http.util.MimeHeaders", "headers", Class::isArray);
        static final Field TYRUS_HANDSHAKE =
                ContainerFields.writableOrNull(
                        "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler",
                        "upgradeInfo",
                        any -> true);

        /**
         * The handler a Tyrus writer holds is a proxy (a subclass with fields of its own, unused)
         * of this one; null if it is not
         */
        static final Field TYRUS_PROXIED_HANDLER =
                ContainerFields.fieldOrNull(
                        "org.glassfish.tyrus.servlet.TyrusServletUpgrade$TyrusHttpUpgradeHandlerProxy",
                        "handler",
                        any -> true);
    }

    /**
     * Releases what the handshake left; call once the socket is open, on the thread that opened it.
     *
     * @param tyrusUpgradeHandler Tyrus's servlet upgrade handler of the socket
     * @param upgraded the Grizzly request that was upgraded
     */
    static void release(Object tyrusUpgradeHandler, Request upgraded) {
        release(
                tyrusUpgradeHandler,
                upgraded.getParameters(),
                upgraded.getRequest().getHeaders(),
                upgraded.getResponse().getResponse().getHeaders());
    }

    static void release(
            Object tyrusUpgradeHandler,
            Parameters parameters,
            MimeHeaders requestHeaders,
            MimeHeaders responseHeaders) {
        try {
            boolean parametersReleased = releaseParameters(parameters);
            boolean headersReleased =
                    releaseHeaders(requestHeaders)
                            & releaseHeaders(responseHeaders); // &: both, always
            boolean tyrusReleased = releaseTyrusHandshake(tyrusUpgradeHandler);
            if (!reported.getAndSet(true))
                report(parametersReleased, headersReleased, tyrusReleased);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // cannot happen: the fields were made accessible
        }
    }

    /**
     * Says, once, what the first socket let go of: what was there and was released, not merely
     * which fields were found.
     */
    private static void report(boolean parameters, boolean headers, boolean tyrus) {
        List<String> kept = new ArrayList<>();
        if (!parameters) kept.add("the decoded parameters");
        if (!headers) kept.add("the header fields");
        if (!tyrus) kept.add("Tyrus's handshake request");
        LOG.info(
                kept.isEmpty()
                        ? "Open WebSockets let go of their handshake's headers, parameters and Tyrus's handshake request"
                        : "Open WebSockets keep "
                                + String.join(", ", kept)
                                + " of their handshake: not the fields this was written for");
    }

    private static boolean releaseParameters(Parameters parameters) throws IllegalAccessException {
        if (Fields.NAME_BUFFER == null
                || Fields.VALUE_BUFFER == null
                || Fields.DECODED_QUERY == null) return false;
        parameters.recycle();
        ((CharChunk) Fields.NAME_BUFFER.get(parameters)).reset();
        ((CharChunk) Fields.VALUE_BUFFER.get(parameters)).reset();
        ((DataChunk) Fields.DECODED_QUERY.get(parameters)).getCharChunk().reset();
        return true;
    }

    /**
     * Empties the headers and drops their field objects; an array of the same length, so adding a
     * header again works as before.
     */
    private static boolean releaseHeaders(MimeHeaders headers) throws IllegalAccessException {
        if (Fields.HEADER_FIELDS == null) return false;
        headers.recycle();
        Object fields = Fields.HEADER_FIELDS.get(headers);
        Fields.HEADER_FIELDS.set(
                headers,
                Array.newInstance(fields.getClass().getComponentType(), Array.getLength(fields)));
        return true;
    }

    /**
     * @return whether the handler held Tyrus's handshake request, now dropped
     */
    private static boolean releaseTyrusHandshake(Object handler) throws IllegalAccessException {
        if (Fields.TYRUS_PROXIED_HANDLER != null
                && Fields.TYRUS_PROXIED_HANDLER.getDeclaringClass().isInstance(handler)) {
            handler = Fields.TYRUS_PROXIED_HANDLER.get(handler);
        }
        if (Fields.TYRUS_HANDSHAKE == null
                || !Fields.TYRUS_HANDSHAKE.getDeclaringClass().isInstance(handler)) return false;
        boolean held = Fields.TYRUS_HANDSHAKE.get(handler) != null;
        Fields.TYRUS_HANDSHAKE.set(
                handler, null); // read once, by the handler's init, before it opened the socket
        return held;
    }
}
