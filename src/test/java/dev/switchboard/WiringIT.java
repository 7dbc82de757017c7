package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.MessageWriter;
import dev.switchboard.history.ReplyTo;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.limits.InMemoryRateLimiter;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.node.Counters;
import dev.switchboard.presence.InMemoryPresenceStore;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.InMemoryRoomMembers;
import dev.switchboard.rooms.RoomMembers;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.InProcessBus;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In-container wiring on Payara Micro: the producers pick the in-process adapters when no
 * RabbitMQ/Redis is configured, JPA stores batches through the writer, the schema migration ran,
 * and the socket endpoint and JAX-RS resources are reachable with CDI injected.
 */
@ExtendWith(ArquillianExtension.class)
class WiringIT {
    @Deployment
    static WebArchive deployment() {
        // The application's own classes only (test classes of other floors need test libraries),
        // with the libraries of the packaged WAR (RabbitMQ, Jedis, PostgreSQL clients).
        File[] libraries = new File("target/switchboard/WEB-INF/lib").listFiles();
        if (libraries == null)
            throw new IllegalStateException(
                    "target/switchboard/WEB-INF/lib is missing: run mvn package first");
        return ShrinkWrap.create(WebArchive.class, "wiring.war")
                .addPackages(
                        true,
                        path -> Files.exists(Path.of("target/classes", path.get())),
                        "dev.switchboard")
                .addAsLibraries(libraries)
                .addAsResource("META-INF/persistence.xml")
                .addAsResource("META-INF/microprofile-config.properties")
                .addAsResource("META-INF/services/jakarta.enterprise.inject.spi.Extension")
                .addAsWebInfResource(new File("src/main/webapp/WEB-INF/beans.xml"), "beans.xml")
                .addAsResource("db/migration/V1__messages.sql")
                .addAsResource("db/migration/V2__orders.sql");
    }

    @Inject RoomMembers members;
    @Inject PresenceStore presence;
    @Inject RateLimiter rateLimiter;
    @Inject Bus bus;
    @Inject MessageWriter writer;
    @Inject HistoryService history;
    @Inject Counters counters;
    @Inject TokenVerifier tokens;

    @Resource(lookup = "java:app/jdbc/switchboard")
    DataSource dataSource;

    @ArquillianResource URL base;

    @Test
    void standalone_mode_gets_the_in_process_adapters() {
        assertAdapter(InMemoryRoomMembers.class, members);
        assertAdapter(InMemoryPresenceStore.class, presence);
        assertAdapter(InMemoryRateLimiter.class, rateLimiter);
        assertAdapter(InProcessBus.class, bus);
    }

    @Test
    void the_writer_stores_messages_in_batches_with_seq_one_up_per_message() throws Exception {
        // the data directory outlives a run without `mvn clean`: a room of its own each run
        RoomName room = new RoomName("wiring-batch-" + Long.toString(System.nanoTime(), 36));
        int count = 300;
        long batchesBefore = counters.batchCount();
        for (int i = 0; i < count; i++) {
            Instant now = Instant.now();
            // no socket of that id: the fan-out has nobody to ack, and still remembers and
            // publishes
            writer.submit(
                    new RoomMessage(
                            writer.newId(now.toEpochMilli()),
                            room,
                            0,
                            new UserId("writer"),
                            "Writer",
                            "m" + i,
                            now,
                            "test"),
                    new ReplyTo("wiring-no-socket", "r" + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (history.onJoin(room, null).seq() < count && System.nanoTime() < deadline)
            Thread.sleep(20);
        List<RoomMessage> stored = history.roomPage(room, null, count).messages();
        assertEquals(count, stored.size(), "every message stored");
        for (int i = 0; i < count; i++) {
            assertEquals(i + 1, stored.get(i).seq(), "seq in submit order");
            assertEquals("m" + i, stored.get(i).text());
        }
        assertTrue(
                counters.batchCount() - batchesBefore < count,
                "group commit wrote fewer batches than messages");
        var recent = history.onJoin(room, null);
        assertEquals(count, recent.seq());
        assertEquals(50, recent.messages().size(), "on-join default");
        assertEquals("m299", recent.messages().get(49).text());
    }

    @Test
    void the_schema_migration_recorded_its_version() throws Exception {
        try (var c = dataSource.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT MAX(version) FROM switchboard_schema")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
        try (var c = dataSource.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void the_socket_endpoint_and_jax_rs_are_wired() throws Exception {
        String token = tokens.issue(new UserId("wired"), "Wired", null).token();
        CompletableFuture<String> first = new CompletableFuture<>();
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?token=" + token);
        WebSocket socket =
                HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .buildAsync(
                                ws,
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(
                                            WebSocket webSocket, CharSequence data, boolean last) {
                                        first.complete(data.toString());
                                        return null;
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
        String welcome = first.get(10, TimeUnit.SECONDS);
        assertTrue(
                welcome.contains("\"type\":\"welcome\"") && welcome.contains("\"user\":\"wired\""),
                welcome);
        socket.abort();

        HttpResponse<String> presenceAnswer =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(base + "api/presence?user=nobody-here"))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, presenceAnswer.statusCode());
        assertEquals("{\"nobody-here\":\"offline\"}", presenceAnswer.body());
    }

    /** Producers hand out client proxies, which pass toString() on to the adapter behind them. */
    private static void assertAdapter(Class<?> expected, Object bean) {
        assertTrue(
                bean.toString().startsWith(expected.getName() + "@"),
                "expected " + expected.getSimpleName() + ", got " + bean);
    }
}
