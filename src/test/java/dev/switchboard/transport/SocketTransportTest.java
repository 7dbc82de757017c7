package dev.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SocketTransportTest {
    private static final ContainerVersion VERIFIED = ContainerVersion.VERIFIED.iterator().next();
    private static final Supplier<SocketTransport.ContainerPath> NOT_TO_BE_RESOLVED =
            () -> fail("no reflection at all on this path");

    private final Logger logger = Logger.getLogger(SocketTransport.class.getName());
    private final List<String> lines = new ArrayList<>();
    private final Handler capture =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    lines.add(record.getLevel() + " " + record.getMessage());
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @Test
    void switched_off_it_takes_the_portable_path_without_looking_at_the_container() {
        assertNull(
                SocketTransport.choose(
                        false, () -> fail("no version check either"), NOT_TO_BE_RESOLVED));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("switchboard.ws.shared-frames=false"), lines.get(0));
    }

    @Test
    void on_a_container_it_was_not_verified_on_it_is_portable_and_says_which_version_it_found() {
        var newer = new ContainerVersion("6.2026.1", "2.1.6.payara-p1", "4.0.2.payara-p3");
        assertNull(SocketTransport.choose(true, () -> newer, NOT_TO_BE_RESOLVED));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(
                lines.get(0)
                        .contains(
                                "found Payara 6.2026.1, Tyrus 2.1.6.payara-p1, Grizzly 4.0.2.payara-p3"),
                lines.get(0));
        assertTrue(
                lines.get(0).contains("6.2025.10"), "names the verified versions: " + lines.get(0));
    }

    @Test
    void when_a_field_is_not_there_it_is_portable_with_one_line() {
        // the real resolution: the test class path has Grizzly but no Tyrus core nor Catalina
        assertNull(SocketTransport.choose(true, () -> VERIFIED, SocketTransport::payara));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(
                lines.get(0).contains("portable")
                        && lines.get(0).contains("org.glassfish.tyrus.core.TyrusSession"),
                lines.get(0));
    }

    @Test
    void on_a_verified_container_with_every_field_found_it_takes_the_containers_path() {
        SocketTransport.ContainerPath payara = session -> null;
        assertSame(payara, SocketTransport.choose(true, () -> VERIFIED, () -> payara));
        assertEquals(1, lines.size(), lines.toString());
    }

    @Test
    void the_portable_path_switches_the_idle_timer_off_and_writes_through_send_text() {
        var session = new FakeSession();
        FrameWriter writer = new SocketTransport(null).open(session.proxy);

        assertInstanceOf(PortableFrameWriter.class, writer);
        assertEquals(0L, session.maxIdleTimeout);
        List<Throwable> results = new ArrayList<>();
        writer.write("{\"type\":\"welcome\"}", results::add);
        assertEquals(List.of("{\"type\":\"welcome\"}"), session.sent);
        assertEquals(1, results.size());
        assertNull(results.get(0));
    }

    @Test
    void a_failure_inside_the_container_makes_every_socket_portable_from_then_on_with_one_line() {
        var tries = new AtomicInteger();
        var transport =
                new SocketTransport(
                        session -> {
                            tries.incrementAndGet();
                            throw new IllegalAccessException("the field moved");
                        });

        var first = new FakeSession();
        assertInstanceOf(PortableFrameWriter.class, transport.open(first.proxy));
        assertInstanceOf(PortableFrameWriter.class, transport.open(new FakeSession().proxy));

        assertEquals(1, tries.get(), "the container's path is not tried again");
        assertEquals(
                0L,
                first.maxIdleTimeout,
                "the socket that met the failure still has its idle timer off");
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(
                lines.get(0).startsWith("WARNING") && lines.get(0).contains("the field moved"),
                lines.get(0));
    }

    @Test
    void a_final_field_is_never_made_writable() {
        assertThrows(
                IllegalAccessException.class,
                () -> ContainerFields.writable(Fixture.class.getName(), "fixed"));
        assertNull(ContainerFields.writableOrNull(Fixture.class.getName(), "fixed", any -> true));
    }

    @SuppressWarnings("unused")
    private static final class Fixture {
        private final Object fixed = new Object();
    }

    /** A session that records what the portable path asks of it. */
    private static final class FakeSession {
        final List<String> sent = new ArrayList<>();
        long maxIdleTimeout = -1;
        final RemoteEndpoint.Async remote =
                (RemoteEndpoint.Async)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {RemoteEndpoint.Async.class},
                                (p, method, args) -> {
                                    if (!method.getName().equals("sendText") || args.length != 2)
                                        throw new UnsupportedOperationException(method.getName());
                                    sent.add((String) args[0]);
                                    ((SendHandler) args[1]).onResult(new SendResult());
                                    return null;
                                });
        final Session proxy =
                (Session)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {Session.class},
                                (p, method, args) ->
                                        switch (method.getName()) {
                                            case "getAsyncRemote" -> remote;
                                            case "setMaxIdleTimeout" -> {
                                                maxIdleTimeout = (Long) args[0];
                                                yield null;
                                            }
                                            case "isOpen" -> true;
                                            default ->
                                                    throw new UnsupportedOperationException(
                                                            method.getName());
                                        });
    }
}
