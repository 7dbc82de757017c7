package dev.switchboard.it;

import static dev.switchboard.it.RoomsIT.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: the same WAR, unchanged, on WildFly (standalone-microprofile.xml configured by
 * deploy/wildfly/configure.cli, Hibernate as the JPA provider), checked with a smoke subset of the
 * contract: auth, join, send and receive, history. One server on PostgreSQL for the class (about 20
 * s to configure and start), and one on the embedded default for its own test; each test uses its
 * own names, so a test for orders can be added as one more method.
 */
class WildFlySmokeIT {
    /** The contract allows either refusal: 401 on the handshake, or close 1008 before any frame. */
    private static final Set<String> REFUSED = Set.of("401", "close 1008");

    private static WildFlyServer server;

    @BeforeAll
    static void start() {
        Map<String, String> settings = TestNodes.postgresSettings(TestNodes.freshDatabase());
        settings.put("SWITCHBOARD_AUTH_DEV_TOKENS", "true");
        server = WildFlyServer.start("wildfly-pg", settings);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    @Test
    void without_a_valid_token_the_socket_and_the_api_are_refused_and_a_dev_token_is_accepted() {
        String user = Unique.name("wf-auth");
        assertTrue(REFUSED.contains(WsClient.refusal(server.wsUri(null), null)));
        assertTrue(
                REFUSED.contains(WsClient.refusal(server.wsUri(TestTokens.unsigned(user)), null)));
        HttpResponse<String> noToken =
                server.get("/api/rooms/" + Unique.name("wf-room") + "/messages");
        assertEquals(401, noToken.statusCode(), noToken.body());
        assertEquals(
                "application/problem+json",
                noToken.headers().firstValue("Content-Type").orElse("").split(";")[0]);

        HttpResponse<String> issued =
                server.postJson(
                        "/api/auth/token",
                        Json.createObjectBuilder()
                                .add("user", user)
                                .add("name", "Dev " + user)
                                .build()
                                .toString());
        assertEquals(200, issued.statusCode(), issued.body());
        String token = json(issued.body()).getString("token");
        try (var c = WsClient.connect(server.wsUri(token))) {
            JsonObject welcome = c.received().get(0);
            assertEquals(user, welcome.getString("user"));
            assertEquals("Dev " + user, welcome.getString("name"));
            assertEquals(server.name(), welcome.getString("node"));
        }
        assertEquals(
                200,
                server.get("/api/rooms/" + Unique.name("wf-room") + "/messages", token)
                        .statusCode());
    }

    @Test
    void a_message_sent_to_a_room_reaches_both_sockets_with_its_seq_and_the_sender_gets_the_ack() {
        String room = Unique.name("wf-room");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        try (var a = WsClient.connect(server.wsUri(TestTokens.token(alice)));
                var b = WsClient.connect(server.wsUri(TestTokens.token(bob)))) {
            a.join(room);
            JsonObject joined = b.join(room);
            assertEquals(
                    Set.of(alice, bob),
                    Set.copyOf(joined.getJsonArray("members").getValuesAs(JsonString::getString)));
            assertEquals(bob, a.await("member_joined").getString("user"));

            a.send(Frames.send(room, "hello from WildFly", "wf-1"));
            JsonObject ack = a.await("ack");
            assertEquals("wf-1", ack.getString("ref"));
            assertEquals(1, ack.getJsonNumber("seq").longValue());
            JsonObject message = b.await("message");
            assertEquals(ack.getString("id"), message.getString("id"));
            assertEquals(1, message.getJsonNumber("seq").longValue());
            assertEquals(room, message.getString("room"));
            assertEquals(alice, message.getString("from"));
            assertEquals("hello from WildFly", message.getString("text"));
            assertEquals(server.name(), message.getString("node"));
            assertEquals(ack.getString("id"), a.await("message").getString("id"));
        }
    }

    @Test
    void the_history_frame_and_http_history_return_what_was_sent() {
        String room = Unique.name("wf-history");
        try (var a = WsClient.connect(server.wsUri(TestTokens.token(Unique.name("alice"))))) {
            a.join(room);
            a.sendMessages(room, 3, "kept-");
        }
        String token = TestTokens.token(Unique.name("reader"));
        try (var reader = WsClient.connect(server.wsUri(token))) {
            reader.send(Frames.roomHistory(room, null, 2));
            JsonObject page = reader.await("history");
            assertEquals(
                    List.of("kept-1", "kept-2"),
                    texts(page.getJsonArray("messages").getValuesAs(JsonObject.class)));
            assertTrue(page.getBoolean("hasMore"));

            reader.send(Frames.roomHistory(room, null, null));
            JsonObject all = reader.await("history");
            assertEquals(
                    List.of("kept-0", "kept-1", "kept-2"),
                    texts(all.getJsonArray("messages").getValuesAs(JsonObject.class)));
            assertFalse(all.getBoolean("hasMore"));
            HttpResponse<String> http = server.get("/api/rooms/" + room + "/messages", token);
            assertEquals(200, http.statusCode(), http.body());
            JsonObject body = json(http.body());
            assertEquals(room, body.getString("room"));
            assertEquals(all.getJsonArray("messages"), body.getJsonArray("messages"));
            assertFalse(body.getBoolean("hasMore"));
        }
    }

    @Test
    void readiness_on_the_management_port_includes_the_database_check() {
        assertDatabaseUp(server, "PostgreSQL");
    }

    @Test
    void on_its_defaults_the_server_stores_messages_in_the_embedded_h2_database() {
        try (var embedded =
                WildFlyServer.start(
                        "wildfly-h2", Map.of("SWITCHBOARD_JWT_SECRET", TestTokens.SECRET))) {
            assertDatabaseUp(embedded, "H2");
            String room = Unique.name("wf-h2");
            try (var a = WsClient.connect(embedded.wsUri(TestTokens.token(Unique.name("alice"))))) {
                a.join(room);
                assertEquals(
                        1,
                        a.sendMessages(room, 1, "stored-").get(0).getJsonNumber("seq").longValue());
                a.send(Frames.roomHistory(room, null, null));
                assertEquals(
                        List.of("stored-0"),
                        texts(
                                a.await("history")
                                        .getJsonArray("messages")
                                        .getValuesAs(JsonObject.class)));
            }
        }
    }

    @Test
    void an_order_is_created_confirmed_and_notified_and_the_metrics_are_served() {
        String user = Unique.name("wf-buyer");
        String token = TestTokens.token(user);
        try (var socket = WsClient.connect(server.wsUri(token))) {
            HttpResponse<String> created =
                    server.send(
                            HttpRequest.newBuilder(server.uri("/api/orders"))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.ofString(Orders.body(user))));
            assertEquals(201, created.statusCode(), created.body());
            String id = json(created.body()).getString("orderId");
            assertEquals("pending", json(created.body()).getString("status"));
            assertEquals("order.created", socket.await("notification").getString("event"));
            JsonObject updated =
                    socket.await(
                            "notification",
                            n -> n.getString("event").equals("order.updated"),
                            java.time.Duration.ofSeconds(10));
            assertEquals("confirmed", updated.getJsonObject("data").getString("status"));
            HttpResponse<String> read = server.get("/api/orders/" + id, token);
            assertEquals(200, read.statusCode(), read.body());
            assertEquals("confirmed", json(read.body()).getString("status"));
            assertTrue(read.headers().firstValue("X-Cache").isPresent());
        }
        HttpResponse<String> metrics = server.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(
                PrometheusText.parse(metrics.body())
                                .value("switchboard_orders", Map.of("status", "confirmed"))
                        >= 1);
    }

    private static void assertDatabaseUp(WildFlyServer wildFly, String product) {
        HttpResponse<String> ready =
                wildFly.send(HttpRequest.newBuilder(wildFly.managementUri("/health/ready")).GET());
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject database =
                json(ready.body()).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                        .filter(c -> "database".equals(c.getString("name")))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("no database check in " + ready.body()));
        assertEquals("UP", database.getString("status"));
        assertEquals(product, database.getJsonObject("data").getString("product"));
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
