package dev.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.util.CharChunk;
import org.glassfish.grizzly.http.util.DataChunk;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.http.util.Parameters;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.Test;

class HandshakeLeftoversTest {
    private static final String PARAMETERS = "org.glassfish.grizzly.http.util.Parameters";

    @Test
    void an_open_socket_keeps_nothing_its_handshake_parsed_or_sent() throws Exception {
        Handshake upgraded = new Handshake();
        assertEquals("a.b.c", upgraded.parameters.getParameter("token"));
        assertEquals("13", upgraded.request.getHeader("Sec-WebSocket-Version"));
        assertEquals(
                "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                upgraded.response.getHeader("Sec-WebSocket-Accept"));
        assertNotNull(
                charBuffer(upgraded.parameters, "tmpNameC"),
                "Grizzly allocates them with every request");

        upgraded.release();

        assertNull(charBuffer(upgraded.parameters, "tmpNameC"));
        assertNull(charBuffer(upgraded.parameters, "tmpValueC"));
        assertNull(
                ((DataChunk)
                                ContainerFields.field(PARAMETERS, "decodedQuery")
                                        .get(upgraded.parameters))
                        .getCharChunk()
                        .getBuffer(),
                "the decoded query");
        assertEquals(0, upgraded.request.getHeaders().size());
        assertEquals(0, upgraded.response.getHeaders().size());
        assertEquals(
                0,
                headerFieldObjects(upgraded.request.getHeaders()),
                "the request's header fields are dropped, not only emptied");
        assertEquals(0, headerFieldObjects(upgraded.response.getHeaders()));
    }

    @Test
    void
            a_request_object_used_again_after_the_release_still_takes_headers_and_decodes_parameters() {
        Handshake reused = new Handshake();
        reused.release();

        MimeHeaders headers = reused.request.getHeaders();
        for (int i = 0; i < 40; i++)
            headers.addValue("X-Header-" + i)
                    .setString("value " + i); // past the array's length: it grows
        assertEquals(40, headers.size());
        assertEquals("value 39", headers.getHeader("X-Header-39"));

        Parameters parameters = reused.parameters;
        parameters.recycle();
        parameters.setQueryStringEncoding(StandardCharsets.UTF_8);
        byte[] wire =
                ("token=a.b.c&room=caf%C3%A9&room=tea%20room&" + "long=" + "x".repeat(3000))
                        .getBytes(StandardCharsets.US_ASCII);
        DataChunk query = DataChunk.newInstance();
        query.setBuffer(
                Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, wire),
                0,
                wire.length); // as read off the socket
        parameters.setQuery(query);
        parameters.handleQueryParameters();
        assertEquals("a.b.c", parameters.getParameter("token"));
        assertArrayEquals(new String[] {"café", "tea room"}, parameters.getParameterValues("room"));
        assertEquals(3000, parameters.getParameter("long").length());

        parameters.processParameters(
                "form=tea+and%20cake&"
                        + "note="
                        + "y".repeat(3000)); // the path that decodes through the released buffers
        assertEquals("tea and cake", parameters.getParameter("form"));
        assertEquals(3000, parameters.getParameter("note").length());
    }

    /**
     * What Grizzly holds of a handshake: the request's decoded query, its headers and those of the
     * 101 response.
     */
    private static final class Handshake {
        final HttpRequestPacket request =
                HttpRequestPacket.builder()
                        .method(Method.GET)
                        .uri("/ws")
                        .query("token=a.b.c")
                        .protocol(Protocol.HTTP_1_1)
                        .header("Host", "localhost")
                        .header("Upgrade", "websocket")
                        .header("Connection", "Upgrade")
                        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                        .header("Sec-WebSocket-Version", "13")
                        .build();
        final HttpResponsePacket response =
                HttpResponsePacket.builder(request)
                        .status(101)
                        .header("Upgrade", "websocket")
                        .header("Connection", "Upgrade")
                        .header("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                        .build();
        final Parameters parameters = Request.create().getParameters();

        Handshake() {
            parameters.setHeaders(request.getHeaders());
            parameters.setQuery(request.getQueryStringDC());
            parameters.setQueryStringEncoding(StandardCharsets.UTF_8);
            parameters.handleQueryParameters();
        }

        void release() {
            HandshakeLeftovers.release(
                    null, parameters, request.getHeaders(), response.getHeaders());
        }
    }

    private static char[] charBuffer(Parameters parameters, String field)
            throws ReflectiveOperationException {
        return ((CharChunk) ContainerFields.field(PARAMETERS, field).get(parameters)).getBuffer();
    }

    private static long headerFieldObjects(MimeHeaders headers)
            throws ReflectiveOperationException {
        return Arrays.stream(
                        (Object[])
                                ContainerFields.field(
                                                "org.glassfish.grizzly.http.util.MimeHeaders",
                                                "headers")
                                        .get(headers))
                .filter(Objects::nonNull)
                .count();
    }
}
