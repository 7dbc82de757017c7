package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 2: the {@code history} frame, "Recovery" on {@code join}, and section 3's
 * {@code GET /api/rooms/{room}/messages}. The postgres node recovers at most {@value
 * TestNodes#RECOVER_MAX} messages and gives {@value TestNodes#ON_JOIN} on a plain join.
 */
class HistoryIT {
    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void history_frame_pages_a_room_by_seq_with_before_and_limit_and_needs_no_join() {
        String room = Unique.name("page-room");
        seed(room, 55);
        try (var reader = connect(Unique.name("reader"))) { // never joins the room
            assertPage(history(reader, room, null, null), 6, 55, true); // default limit 50
            assertPage(history(reader, room, null, 20), 36, 55, true);
            assertPage(history(reader, room, 36L, 20), 16, 35, true);
            assertPage(history(reader, room, 16L, 20), 1, 15, false);
            assertPage(history(reader, room, 1L, 20), 0, -1, false); // nothing before the first
        }
    }

    @Test
    void history_of_a_room_outside_the_tokens_rooms_is_forbidden() {
        String room = Unique.name("hist-forbidden");
        seed(room, 1);
        String token =
                TestTokens.token(
                        Unique.name("limited"),
                        Instant.now().plusSeconds(3600),
                        List.of(Unique.name("elsewhere")));
        try (var c = WsClient.connect(node, token)) {
            c.send(
                    Json.createObjectBuilder()
                            .add("type", "history")
                            .add("room", room)
                            .add("ref", "h-1")
                            .build());
            assertEquals("h-1", c.awaitError("forbidden").getString("ref", null));
            c.assertOpen();
            c.expectNone("history", any -> true, Duration.ZERO);
        }
    }

    @Test
    void history_limit_outside_1_to_100_is_bad_request() {
        String room = Unique.name("hist-limit");
        try (var c = connect(Unique.name("limits"))) {
            for (int limit : new int[] {0, -1, 101}) {
                c.send(
                        Json.createObjectBuilder()
                                .add("type", "history")
                                .add("room", room)
                                .add("limit", limit)
                                .add("ref", "l" + limit)
                                .build());
                assertEquals("l" + limit, c.awaitError("bad_request").getString("ref", null));
            }
            assertPage(history(c, room, null, 100), 0, -1, false);
            assertPage(history(c, room, null, 1), 0, -1, false);
        }
    }

    @Test
    void history_with_a_user_pages_the_conversation_by_message_id() {
        String alice = Unique.name("alice");
        String bob = Unique.name("bob");
        List<String> ids = new ArrayList<>();
        try (var a = connect(alice);
                var b = connect(bob);
                var carol = connect(Unique.name("carol"))) {
            for (int i = 0; i < 7; i++) {
                WsClient from = i % 2 == 0 ? a : b;
                from.send(Frames.direct(i % 2 == 0 ? bob : alice, "dm" + i, "dm" + i));
                ids.add(from.await("ack").getString("id"));
            }
            a.send(
                    Frames.direct(
                            carol.received().get(0).getString("user"),
                            "not in this conversation",
                            "other"));
            a.await("ack");

            JsonObject last3 = conversation(a, bob, null, 3);
            assertEquals(ids.subList(4, 7), ids(last3));
            assertTrue(last3.getBoolean("hasMore"));
            JsonObject previous3 = conversation(a, bob, ids.get(4), 3);
            assertEquals(ids.subList(1, 4), ids(previous3));
            assertTrue(previous3.getBoolean("hasMore"));
            JsonObject first = conversation(a, bob, ids.get(1), 3);
            assertEquals(ids.subList(0, 1), ids(first));
            assertFalse(first.getBoolean("hasMore"));

            JsonObject fromBobsSide = conversation(b, alice, null, null);
            assertEquals(
                    ids,
                    ids(fromBobsSide),
                    "the same conversation, oldest first, whichever side asks");
            assertFalse(fromBobsSide.getBoolean("hasMore"));
            assertEquals(
                    List.of("dm0", "dm1", "dm2", "dm3", "dm4", "dm5", "dm6"),
                    RoomsIT.texts(messages(fromBobsSide)));
        }
    }

    @Test
    void http_history_answers_the_same_page_as_the_history_frame() {
        String room = Unique.name("http-room");
        seed(room, 25);
        String token = TestTokens.token(Unique.name("http-reader"));
        try (var c = WsClient.connect(node, token)) {
            for (Long before : new Long[] {null, 20L, 6L}) {
                JsonObject frame = history(c, room, before, 10);
                HttpResponse<String> response =
                        node.get(
                                "/api/rooms/"
                                        + room
                                        + "/messages?limit=10"
                                        + (before == null ? "" : "&before=" + before),
                                token);
                assertEquals(200, response.statusCode(), response.body());
                JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
                assertEquals(room, body.getString("room"));
                assertEquals(
                        frame.getJsonArray("messages"),
                        body.getJsonArray("messages"),
                        "before=" + before);
                assertEquals(
                        frame.getBoolean("hasMore"),
                        body.getBoolean("hasMore"),
                        "before=" + before);
            }
            // defaults: no before, limit 50
            JsonObject body =
                    Json.createReader(
                                    new StringReader(
                                            node.get("/api/rooms/" + room + "/messages", token)
                                                    .body()))
                            .readObject();
            assertEquals(
                    history(c, room, null, null).getJsonArray("messages"),
                    body.getJsonArray("messages"));
        }
    }

    @Test
    void http_history_without_a_valid_token_is_401_problem_json() {
        String room = Unique.name("http-401");
        assertProblem(node.get("/api/rooms/" + room + "/messages"), 401);
        assertProblem(
                node.get(
                        "/api/rooms/" + room + "/messages",
                        TestTokens.token(Unique.name("late"), Instant.now().minusSeconds(5), null)),
                401);
        assertProblem(
                node.get(
                        "/api/rooms/" + room + "/messages",
                        TestTokens.unsigned(Unique.name("none"))),
                401);
    }

    @Test
    void http_history_outside_the_rooms_claim_is_403_problem_json() {
        String room = Unique.name("http-403");
        String token =
                TestTokens.token(
                        Unique.name("limited"),
                        Instant.now().plusSeconds(3600),
                        List.of(Unique.name("elsewhere")));
        assertProblem(node.get("/api/rooms/" + room + "/messages", token), 403);
    }

    @Test
    void join_with_since_recovers_exactly_the_messages_after_it() {
        String room = Unique.name("recover-room");
        seed(room, 20);
        try (var c = connect(Unique.name("returning"))) {
            JsonObject joined = join(c, room, 12);
            assertEquals(List.of(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), seqs(joined));
            assertTrue(joined.getBoolean("recovered"), joined.toString());
            assertEquals(20, joined.getJsonNumber("seq").longValue());
        }
    }

    @Test
    void join_with_since_exactly_recover_max_behind_recovers_them_all() {
        String room = Unique.name("recover-max");
        seed(room, TestNodes.RECOVER_MAX + 5);
        try (var c = connect(Unique.name("returning"))) {
            JsonObject joined = join(c, room, 5);
            assertEquals(
                    LongStream.rangeClosed(6, TestNodes.RECOVER_MAX + 5).boxed().toList(),
                    seqs(joined));
            assertTrue(joined.getBoolean("recovered"), joined.toString());
        }
    }

    @Test
    void join_with_since_at_the_latest_seq_recovers_nothing_and_is_recovered() {
        String room = Unique.name("recover-none");
        seed(room, 3);
        try (var c = connect(Unique.name("returning"))) {
            JsonObject joined = join(c, room, 3);
            assertEquals(List.of(), seqs(joined));
            assertTrue(joined.getBoolean("recovered"), joined.toString());
            assertEquals(3, joined.getJsonNumber("seq").longValue());
        }
    }

    @Test
    void
            join_with_since_more_than_recover_max_behind_returns_the_latest_page_and_recovered_false() {
        String room = Unique.name("recover-too-far");
        int total = TestNodes.RECOVER_MAX + 15;
        seed(room, total);
        try (var c = connect(Unique.name("returning"))) {
            JsonObject joined = join(c, room, 5); // 40 missed, more than 30
            assertFalse(joined.getBoolean("recovered"), joined.toString());
            List<Long> seqs = seqs(joined);
            assertFalse(seqs.isEmpty(), "the latest page: " + joined);
            assertTrue(
                    seqs.size() <= TestNodes.RECOVER_MAX, "a page, not everything missed: " + seqs);
            long first = total - seqs.size() + 1;
            assertEquals(
                    LongStream.rangeClosed(first, total).boxed().toList(),
                    seqs,
                    "the latest messages, oldest first");
            assertEquals(total, joined.getJsonNumber("seq").longValue());
        }
    }

    @Test
    void join_without_since_returns_the_latest_on_join_messages() {
        String room = Unique.name("on-join");
        seed(room, TestNodes.ON_JOIN + 5);
        try (var c = connect(Unique.name("newcomer"))) {
            JsonObject joined = c.join(room);
            assertEquals(
                    LongStream.rangeClosed(6, TestNodes.ON_JOIN + 5).boxed().toList(),
                    seqs(joined));
            assertFalse(joined.containsKey("recovered"), joined.toString());
        }
    }

    /** Posts {@code count} messages to a fresh room (seq 1..count) and waits for their acks. */
    private void seed(String room, int count) {
        try (var writer = connect(Unique.name("writer"))) {
            writer.join(room);
            List<JsonObject> acks = writer.sendMessages(room, count, "msg-");
            assertEquals(
                    count,
                    acks.get(count - 1).getJsonNumber("seq").longValue(),
                    "seeded a fresh room");
        }
    }

    private static JsonObject history(WsClient c, String room, Long before, Integer limit) {
        c.send(Frames.roomHistory(room, before, limit));
        return c.await("history", f -> room.equals(f.getString("room", null)));
    }

    private static JsonObject conversation(WsClient c, String with, String before, Integer limit) {
        c.send(Frames.conversationHistory(with, before, limit));
        return c.await("history", f -> with.equals(f.getString("with", null)));
    }

    private static JsonObject join(WsClient c, String room, long since) {
        c.send(Frames.join(room, since));
        return c.await("joined", f -> room.equals(f.getString("room", null)));
    }

    /** A history frame holding seq {@code first..last} oldest first (none when last < first). */
    private static void assertPage(JsonObject history, long first, long last, boolean hasMore) {
        assertEquals(
                LongStream.rangeClosed(first, last).boxed().toList(),
                seqs(history),
                history.toString());
        assertEquals(hasMore, history.getBoolean("hasMore"), "hasMore of " + history);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim());
        JsonObject problem = Json.createReader(new StringReader(response.body())).readObject();
        assertEquals(status, problem.getInt("status"), response.body());
        assertFalse(problem.getString("title").isBlank(), response.body());
        assertFalse(problem.getString("detail").isBlank(), response.body());
    }

    private static List<JsonObject> messages(JsonObject frame) {
        return frame.getJsonArray("messages").getValuesAs(JsonObject.class);
    }

    private static List<Long> seqs(JsonObject frame) {
        return messages(frame).stream().map(m -> m.getJsonNumber("seq").longValue()).toList();
    }

    private static List<String> ids(JsonObject frame) {
        return messages(frame).stream().map(m -> m.getString("id")).toList();
    }

    private WsClient connect(String user) {
        return WsClient.connect(node, TestTokens.token(user));
    }
}
