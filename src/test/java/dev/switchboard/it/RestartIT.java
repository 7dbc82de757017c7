package dev.switchboard.it;

import static dev.switchboard.it.RoomsIT.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node of its own on the default embedded store (H2 under its data directory), stopped and
 * started again on the same data directory: "every message is stored durably; an ack means it was
 * accepted and will not be lost", "node shutting down: close 1001", and docs/OPERATIONS.md's
 * graceful stop.
 *
 * <p>The tests share the node only to save starts (~10 s each): each one starts it if it is not
 * running, so none depends on another; the order merely lets each begin where the last one left it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartIT {
    private static final SwitchboardNode NODE =
            SwitchboardNode.create(
                    Unique.name("restart"), Map.of("SWITCHBOARD_JWT_SECRET", TestTokens.SECRET));

    @AfterAll
    static void stopNode() {
        NODE.stop();
    }

    @Test
    @Order(1)
    void acked_messages_survive_a_restart_and_the_seq_continues_from_where_it_was() {
        String room = Unique.name("restart-room");
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        SwitchboardNode node = running();
        List<String> ids;
        String directId;
        try (var a = WsClient.connect(node, TestTokens.token(alice))) {
            a.join(room);
            ids =
                    a.sendMessages(room, 5, "before-restart-").stream()
                            .map(ack -> ack.getString("id"))
                            .toList();
            a.send(Frames.direct(bob, "kept for bob", "d1"));
            directId = a.await("ack").getString("id");
        }
        node.stop();
        node.start();

        try (var a = WsClient.connect(node, TestTokens.token(alice))) {
            JsonObject joined = a.join(room);
            List<JsonObject> messages =
                    joined.getJsonArray("messages").getValuesAs(JsonObject.class);
            assertEquals(
                    List.of(
                            "before-restart-0",
                            "before-restart-1",
                            "before-restart-2",
                            "before-restart-3",
                            "before-restart-4"),
                    texts(messages));
            assertEquals(ids, ids(messages));
            assertEquals(5, joined.getJsonNumber("seq").longValue());

            a.send(Frames.roomHistory(room, null, null));
            assertEquals(
                    ids,
                    ids(a.await("history").getJsonArray("messages").getValuesAs(JsonObject.class)));

            a.send(Frames.conversationHistory(bob, null, null));
            JsonObject conversation =
                    a.await("history", f -> bob.equals(f.getString("with", null)));
            assertEquals(
                    List.of(directId),
                    ids(conversation.getJsonArray("messages").getValuesAs(JsonObject.class)));

            a.send(Frames.send(room, "after restart", "after"));
            assertEquals(
                    6,
                    a.await("ack").getJsonNumber("seq").longValue(),
                    "seq continues after the restart");
            assertEquals(6, a.await("message").getJsonNumber("seq").longValue());
        }
    }

    @Test
    @Order(2)
    void acked_messages_survive_a_kill_9_of_the_node() {
        String room = Unique.name("kill-room");
        String alice = Unique.name("alice");
        SwitchboardNode node = running();
        List<String> ids;
        try (var a = WsClient.connect(node, TestTokens.token(alice))) {
            a.join(room);
            ids = ids(a.sendMessages(room, 50, "before-kill-"));
            node.kill(); // at once after the last ack: no chance to flush anything
        }
        node.start();
        try (var a = WsClient.connect(node, TestTokens.token(alice))) {
            a.send(Frames.roomHistory(room, null, 100));
            List<JsonObject> stored =
                    a.await("history").getJsonArray("messages").getValuesAs(JsonObject.class);
            assertEquals(
                    ids.size(),
                    stored.size(),
                    "acked " + ids.size() + " messages, found " + stored.size() + " after kill -9");
            assertEquals(ids, ids(stored), "every acked message is still there after kill -9");
            a.join(room);
            a.send(Frames.send(room, "after kill", "after"));
            assertEquals(
                    51,
                    a.await("ack").getJsonNumber("seq").longValue(),
                    "seq continues after the kill");
        }
    }

    @Test
    @Order(3)
    void a_node_shutting_down_closes_its_sockets_with_1001() {
        SwitchboardNode node = running();
        try (var a = WsClient.connect(node, TestTokens.token(Unique.name("alice")));
                var b = WsClient.connect(node, TestTokens.token(Unique.name("bob")))) {
            a.join(Unique.name("shutdown-room"));
            node.stop();
            assertEquals(1001, a.awaitClose(Duration.ofSeconds(10)));
            assertEquals(1001, b.awaitClose(Duration.ofSeconds(10)));
        }
    }

    /**
     * docs/OPERATIONS.md "Stopping a node": the load balancer must see the node not ready before
     * the port closes, and the open sockets keep being served until then. Polls /health/ready every
     * 25 ms from SIGTERM to the exit, recording when each stage was first seen.
     */
    @Test
    @Order(4)
    void on_sigterm_the_node_reports_not_ready_then_closes_sockets_with_1001_and_exits_within_10_s()
            throws Exception {
        SwitchboardNode node = running();
        String token = TestTokens.token(Unique.name("alice"));
        var http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(1))
                        .build();
        var ready =
                HttpRequest.newBuilder(node.uri("/health/ready"))
                        .timeout(Duration.ofSeconds(1))
                        .build();
        try (var watcher = WsClient.connect(node, token)) {
            long start = System.nanoTime();
            node.terminate();
            long notReadyAt = -1;
            long refusedAt = -1;
            long closedAt = -1;
            boolean openWhenNotReady = false;
            int handshakeWhenNotReady = -1;
            List<String> answers =
                    new ArrayList<>(); // each distinct answer once, for the failure message
            while (refusedAt < 0 && System.nanoTime() - start < Duration.ofSeconds(12).toNanos()) {
                String answer;
                try {
                    HttpResponse<String> response =
                            http.send(ready, HttpResponse.BodyHandlers.ofString());
                    answer = response.statusCode() + " " + response.body();
                    if (notReadyAt < 0
                            && response.statusCode() == 503
                            && nodeCheckDown(response.body())) {
                        notReadyAt = System.nanoTime() - start;
                        openWhenNotReady = !watcher.isClosed();
                        handshakeWhenNotReady = WsClient.handshakeStatus(node.wsUri(token), null);
                    }
                } catch (ConnectException e) {
                    refusedAt = System.nanoTime() - start;
                    answer = "refused";
                } catch (IOException e) {
                    answer = e.toString(); // the listener going away mid-request: not yet a refusal
                }
                if (closedAt < 0 && watcher.isClosed()) closedAt = System.nanoTime() - start;
                if (answers.isEmpty() || !answers.get(answers.size() - 1).equals(answer))
                    answers.add(ms(System.nanoTime() - start) + ": " + answer);
                Thread.sleep(25); // polling: the stop gives no event to wait on
            }
            assertTrue(
                    node.awaitExit(Duration.ofSeconds(10).minusNanos(System.nanoTime() - start)),
                    "exited within 10 s of SIGTERM; answers " + answers);
            assertTrue(
                    notReadyAt >= 0,
                    "saw /health/ready 503 with the node check DOWN; answers " + answers);
            assertTrue(
                    refusedAt > notReadyAt,
                    "not ready ("
                            + ms(notReadyAt)
                            + ") before the port closed ("
                            + ms(refusedAt)
                            + ")");
            assertTrue(
                    openWhenNotReady,
                    "the open socket was still served when the node reported not ready");
            assertEquals(
                    503,
                    handshakeWhenNotReady,
                    "a new socket is refused while the node reports not ready");
            assertEquals(1001, watcher.awaitClose(Duration.ofSeconds(1)));
            assertTrue(
                    closedAt > notReadyAt,
                    "closed with 1001 ("
                            + ms(closedAt)
                            + ") after not ready ("
                            + ms(notReadyAt)
                            + ")");
        } finally {
            NODE.stop();
        }
    }

    /**
     * MicroProfile Health JSON with the {@code node} check DOWN (the container's own 503 page is
     * not it).
     */
    private static boolean nodeCheckDown(String body) {
        try {
            JsonObject health = Json.createReader(new StringReader(body)).readObject();
            return "DOWN".equals(health.getString("status"))
                    && health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                            .anyMatch(
                                    c ->
                                            "node".equals(c.getString("name"))
                                                    && "DOWN".equals(c.getString("status")));
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "never" : nanos / 1_000_000 + " ms";
    }

    private static SwitchboardNode running() {
        if (!NODE.isRunning()) NODE.start();
        return NODE;
    }

    private static List<String> ids(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getString("id")).toList();
    }
}
