package dev.switchboard.it;

import static dev.switchboard.it.RoomsIT.about;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 2, "Limits and errors": one test per row. Every {@code error} leaves the
 * connection open, which each test proves with a ping answered by pong after the errors.
 */
class ErrorsIT {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final String LONG_NAME = "n".repeat(65);

    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void a_frame_that_is_not_json_is_bad_request() {
        try (var c = connect(Unique.name("notjson"))) {
            for (String frame :
                    List.of(
                            "hello",
                            "{",
                            "{\"type\":\"ping\"",
                            "[{\"type\":\"ping\"}]",
                            "\"ping\"",
                            "42",
                            "null")) {
                c.send(frame);
                assertEquals("bad_request", c.await("error").getString("code"), "for " + frame);
                c.assertOpen();
            }
        }
    }

    @Test
    void a_frame_without_a_type_is_bad_request() {
        try (var c = connect(Unique.name("notype"))) {
            for (String frame :
                    List.of(
                            "{}",
                            "{\"room\":\"r\",\"ref\":\"x\"}",
                            "{\"type\":null}",
                            "{\"type\":42}",
                            "{\"type\":[\"ping\"]}")) {
                c.send(frame);
                assertEquals("bad_request", c.await("error").getString("code"), "for " + frame);
                c.assertOpen();
            }
        }
    }

    @Test
    void unknown_fields_are_ignored() {
        String room = Unique.name("extra-fields");
        try (var c = connect(Unique.name("extra"))) {
            c.sendq("{'type':'ping','colour':'blue'}");
            c.await("pong");
            c.sendq("{'type':'join','room':'" + room + "','x':{'nested':[1,2,3]}}");
            c.await("joined");
            c.sendq(
                    "{'type':'send','room':'"
                            + room
                            + "','text':'hi','ref':'x1','priority':9,'to':'someone'}");
            assertEquals("x1", c.await("ack").getString("ref"));
            assertEquals("hi", c.await("message").getString("text"));
            c.expectNone("error", any -> true, Duration.ZERO);
        }
    }

    @Test
    void a_frame_with_an_unknown_type_is_bad_request() {
        try (var c = connect(Unique.name("unknowntype"))) {
            for (String type : List.of("dance", "PING", "message", "")) {
                c.send(
                        Json.createObjectBuilder()
                                .add("type", type)
                                .add("ref", "u-" + type)
                                .build());
                JsonObject error = c.await("error");
                assertEquals("bad_request", error.getString("code"), "for type " + type);
                assertEquals("u-" + type, error.getString("ref", null));
                c.assertOpen();
            }
        }
    }

    @Test
    void a_frame_missing_a_field_is_bad_request() {
        String room = Unique.name("missing-field");
        List<String> frames =
                List.of(
                        "{'type':'join'}",
                        "{'type':'leave'}",
                        "{'type':'send','text':'no room'}",
                        "{'type':'send','room':'" + room + "'}",
                        "{'type':'direct','text':'to nobody'}",
                        "{'type':'direct','to':'someone'}",
                        "{'type':'typing','active':true}",
                        "{'type':'typing','room':'" + room + "'}",
                        "{'type':'status'}",
                        "{'type':'history'}",
                        "{'type':'refresh'}");
        try (var c = connect(Unique.name("missing"))) {
            c.join(room);
            for (int i = 0; i < frames.size(); i++) {
                String ref = "mf-" + i;
                c.sendq(frames.get(i).replace("}", ",'ref':'" + ref + "'}"));
                JsonObject error = c.await("error");
                assertEquals("bad_request", error.getString("code"), "for " + frames.get(i));
                assertEquals(ref, error.getString("ref", null), "for " + frames.get(i));
                c.assertOpen();
            }
            c.expectNone("message", any -> true, Duration.ZERO);
        }
    }

    @Test
    void an_invalid_room_name_is_invalid_name() {
        List<String> bad =
                List.of(
                        "a.b",
                        "a b",
                        "a*",
                        "a#",
                        "*",
                        "#",
                        "room.>",
                        LONG_NAME,
                        "",
                        "caf\u00e9",
                        "a/b",
                        "a:b");
        try (var c = connect(Unique.name("badroom"))) {
            for (String room : bad) {
                for (JsonObject frame :
                        List.of(
                                Frames.join(room),
                                Frames.send(room, "x", null),
                                Frames.typing(room, true),
                                Frames.leave(room),
                                Frames.roomHistory(room, null, null))) {
                    c.send(Json.createObjectBuilder(frame).add("ref", "bad").build());
                    JsonObject error = c.await("error");
                    assertEquals("invalid_name", error.getString("code"), "for " + frame);
                    assertEquals("bad", error.getString("ref", null));
                }
                c.assertOpen();
            }
            String longest = (Unique.name("r") + "r".repeat(64)).substring(0, 64);
            assertEquals(
                    longest, c.join(longest).getString("room"), "64 characters are a valid name");
            String everyKind = Unique.name("AZaz09_");
            assertEquals(
                    everyKind, c.join(everyKind).getString("room"), "letters, digits, '_' and '-'");
        }
    }

    @Test
    void an_invalid_user_id_is_invalid_name() {
        List<String> bad =
                List.of(
                        "bob.smith",
                        "bob smith",
                        "bob*",
                        "bob#",
                        "*",
                        "#",
                        LONG_NAME,
                        "",
                        "j\u00fcrgen",
                        "bob@example");
        try (var c = connect(Unique.name("baduser"))) {
            for (String user : bad) {
                c.send(
                        Json.createObjectBuilder(Frames.direct(user, "hi", null))
                                .add("ref", "d")
                                .build());
                assertEquals(
                        "d",
                        c.awaitError("invalid_name").getString("ref", null),
                        "direct to " + user);
                c.send(
                        Json.createObjectBuilder(Frames.conversationHistory(user, null, null))
                                .add("ref", "h")
                                .build());
                assertEquals(
                        "h",
                        c.awaitError("invalid_name").getString("ref", null),
                        "history with " + user);
                c.assertOpen();
            }
            String longest = "u".repeat(64);
            c.send(Frames.direct(longest, "64 characters are a valid user id", "ok"));
            assertEquals("ok", c.await("ack").getString("ref"));
        }
    }

    @Test
    void send_or_typing_to_a_room_the_socket_has_not_joined_is_not_member() {
        String room = Unique.name("not-member");
        try (var inside = connect(Unique.name("inside"));
                var outside = connect(Unique.name("outside"))) {
            inside.join(room);
            outside.send(Frames.send(room, "let me in", "nm-1"));
            assertEquals("nm-1", outside.awaitError("not_member").getString("ref", null));
            outside.send(
                    Json.createObjectBuilder(Frames.typing(room, true)).add("ref", "nm-2").build());
            assertEquals("nm-2", outside.awaitError("not_member").getString("ref", null));
            outside.assertOpen();
            inside.assertOpen();
            inside.expectNone("message", any -> true, QUIET);
            inside.expectNone("typing", any -> true, Duration.ZERO);
        }
    }

    @Test
    void join_to_a_room_outside_the_tokens_rooms_is_forbidden() {
        String allowed = Unique.name("allowed");
        String other = Unique.name("not-allowed");
        String token =
                TestTokens.token(
                        Unique.name("restricted"),
                        Instant.now().plusSeconds(3600),
                        List.of(allowed));
        try (var c = WsClient.connect(node, token)) {
            c.send(Json.createObjectBuilder(Frames.join(other)).add("ref", "fb-1").build());
            JsonObject error = c.awaitError("forbidden");
            assertEquals("fb-1", error.getString("ref", null));
            c.assertOpen();
            c.expectNone("joined", any -> true, Duration.ZERO);
            c.send(Frames.send(other, "sneaking in", "fb-2"));
            c.awaitError("not_member"); // the refused join left no membership behind
        }
    }

    @Test
    void empty_or_whitespace_only_text_is_empty_message() {
        String room = Unique.name("empty-text");
        try (var c = connect(Unique.name("silent"));
                var observer = connect(Unique.name("observer"))) {
            c.join(room);
            observer.join(room);
            for (String text : List.of("", " ", "   ", "\t", "\n", " \t\r\n ")) {
                c.send(Frames.send(room, text, "e-send"));
                assertEquals("e-send", c.awaitError("empty_message").getString("ref", null));
                c.send(
                        Frames.direct(
                                observer.received().get(0).getString("user"), text, "e-direct"));
                assertEquals("e-direct", c.awaitError("empty_message").getString("ref", null));
            }
            c.assertOpen();
            observer.assertOpen();
            observer.expectNone("message", any -> true, QUIET);
            observer.expectNone("direct", any -> true, Duration.ZERO);
        }
    }

    /**
     * "Whitespace" as Unicode defines it (property White_Space): no-break space U+00A0, figure
     * space U+2007, narrow no-break space U+202F, ideographic space U+3000 and em space U+2003 are
     * as empty to a reader as a plain space.
     */
    @Test
    void text_of_only_unicode_white_space_is_empty_message() {
        String room = Unique.name("unicode-space");
        try (var c = connect(Unique.name("spacey"));
                var observer = connect(Unique.name("observer"))) {
            c.join(room);
            observer.join(room);
            List<String> texts =
                    List.of("\u3000", "\u2003", "\u00a0", "\u2007", "\u202f", " \u00a0 ");
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                String ref = "ws-" + i;
                c.send(Frames.send(room, text, ref));
                JsonObject answer = c.awaitFrame(f -> ref.equals(f.getString("ref", null)));
                assertEquals(
                        "empty_message",
                        answer.getString("code", answer.getString("type")),
                        "for the code points "
                                + text.codePoints()
                                        .mapToObj(cp -> String.format("U+%04X", cp))
                                        .toList());
            }
            c.assertOpen();
            observer.assertOpen();
            observer.expectNone("message", any -> true, QUIET);
        }
    }

    @Test
    void text_over_max_text_characters_is_too_large() {
        String room = Unique.name("long-text");
        String reader = Unique.name("reader");
        try (var c = connect(Unique.name("verbose"));
                var r = connect(reader)) {
            c.join(room);
            c.send(Frames.send(room, "x".repeat(4001), "tl-send"));
            assertEquals("tl-send", c.awaitError("too_large").getString("ref", null));
            c.send(Frames.direct(reader, "x".repeat(4001), "tl-direct"));
            assertEquals("tl-direct", c.awaitError("too_large").getString("ref", null));
            c.assertOpen();

            c.send(Frames.send(room, "y".repeat(4000), "ok-send"));
            assertEquals("ok-send", c.await("ack").getString("ref"));
            assertEquals(4000, c.await("message").getString("text").length());
            c.send(Frames.direct(reader, "z".repeat(4000), "ok-direct"));
            assertEquals("ok-direct", c.await("ack").getString("ref"));
            assertEquals(4000, r.await("direct").getString("text").length());
        }
    }

    @Test
    void more_than_the_chat_rate_per_user_in_10_s_is_rate_limited_with_retry_after() {
        // the embedded node keeps the default rate: 50 messages per user per 10 s, send and direct
        // together
        SwitchboardNode limited = TestNodes.embedded();
        String room = Unique.name("rate-room");
        String sender = Unique.name("chatty");
        String other = Unique.name("calm");
        try (var c = WsClient.connect(limited, TestTokens.token(sender));
                var c2 = WsClient.connect(limited, TestTokens.token(sender));
                var o = WsClient.connect(limited, TestTokens.token(other))) {
            c.join(room);
            o.join(room);
            // 50 from one user over two sockets: 30 sends on one, 20 directs on the other
            for (int i = 0; i < 30; i++) c.send(Frames.send(room, "s" + i, "s" + i));
            for (int i = 0; i < 20; i++) c2.send(Frames.direct(other, "d" + i, "d" + i));
            assertEquals(30, c.awaitAll("ack", 30, Duration.ofSeconds(8)).size());
            assertEquals(20, c2.awaitAll("ack", 20, Duration.ofSeconds(8)).size());
            c.expectNone("error", any -> true, Duration.ZERO);
            c2.expectNone("error", any -> true, Duration.ZERO);

            c.send(Frames.send(room, "one too many", "over-1"));
            JsonObject error = c.awaitError("rate_limited");
            assertEquals("over-1", error.getString("ref", null));
            long retryAfter = error.getJsonNumber("retryAfterMs").longValue();
            assertTrue(
                    retryAfter > 0 && retryAfter <= 10_000,
                    "retryAfterMs within the 10 s window: " + error);
            c2.send(Frames.direct(other, "and a direct", "over-2"));
            JsonObject directError = c2.awaitError("rate_limited");
            assertEquals("over-2", directError.getString("ref", null));
            assertTrue(
                    directError.getJsonNumber("retryAfterMs").longValue() > 0,
                    directError.toString());
            c.assertOpen();
            c2.assertOpen();

            o.send(Frames.send(room, "another user is not limited", "calm-1"));
            assertEquals("calm-1", o.await("ack").getString("ref"));
            o.await("message", f -> "another user is not limited".equals(f.getString("text")));
            o.assertOpen();
            o.expectNone("message", f -> "one too many".equals(f.getString("text")), Duration.ZERO);
            o.expectNone("direct", f -> "and a direct".equals(f.getString("text")), Duration.ZERO);
        }
    }

    @Test
    void errors_echo_the_ref_of_the_frame() {
        String room = Unique.name("ref-echo");
        String token =
                TestTokens.token(
                        Unique.name("refs"), Instant.now().plusSeconds(3600), List.of(room));
        try (var c = WsClient.connect(node, token)) {
            List<JsonObject> frames =
                    List.of(
                            Json.createObjectBuilder()
                                    .add("type", "nope")
                                    .add("ref", "r-unknown")
                                    .build(),
                            Json.createObjectBuilder()
                                    .add("type", "send")
                                    .add("room", room)
                                    .add("ref", "r-missing")
                                    .build(),
                            Json.createObjectBuilder(Frames.join("bad.name"))
                                    .add("ref", "r-name")
                                    .build(),
                            Json.createObjectBuilder(Frames.join(Unique.name("elsewhere")))
                                    .add("ref", "r-forbidden")
                                    .build(),
                            Frames.send(room, "hi", "r-member"),
                            Frames.direct("bob", " ", "r-empty"),
                            Frames.direct("bob", "x".repeat(4001), "r-large"),
                            Frames.send(room, "y", "r".repeat(64)));
            for (JsonObject frame : frames) {
                c.send(frame);
                assertEquals(
                        frame.getString("ref"),
                        c.await("error").getString("ref", null),
                        "for " + frame);
            }
            c.assertOpen();
        }
    }

    @Test
    void a_frame_over_64_kib_closes_the_socket_with_1009() {
        String room = Unique.name("big-frame");
        try (var c = connect(Unique.name("bigframe"))) {
            c.join(room);
            c.send(frameOfBytes(room, 64 * 1024 + 1));
            assertEquals(1009, c.awaitClose(Duration.ofSeconds(10)));
        }
    }

    @Test
    void a_frame_of_64_kib_is_not_closed() {
        String room = Unique.name("max-frame");
        try (var c = connect(Unique.name("maxframe"))) {
            c.join(room);
            c.send(frameOfBytes(room, 64 * 1024));
            assertEquals(
                    "too_large",
                    c.await("error").getString("code"),
                    "the text is too long, the frame is not");
            c.assertOpen();
            assertFalse(c.isClosed());
        }
    }

    @Test
    void a_slow_consumer_is_closed_with_1013_and_the_other_sockets_are_not_delayed() {
        int count = 3000;
        String room = Unique.name("slow-room");
        String slowUser = Unique.name("slow");
        try (var reader = connect(Unique.name("reader"));
                var flooder = connect(Unique.name("flooder"))) {
            reader.join(room);
            flooder.join(room);
            var slow = WsClient.connectNotReading(node, TestTokens.token(slowUser));
            try {
                floodPastASlowConsumer(room, slowUser, slow, reader, flooder, count);
            } finally {
                slow.abort();
            }
        }
    }

    private void floodPastASlowConsumer(
            String room,
            String slowUser,
            WsClient slow,
            WsClient reader,
            WsClient flooder,
            int count) {
        String filler = "x".repeat(3900);
        slow.send(Frames.join(room));
        reader.await("member_joined", about(slowUser)); // the slow socket is in the room

        long start = System.nanoTime();
        for (int i = 0; i < count; i++) flooder.send(Frames.send(room, i + ":" + filler, "f" + i));
        List<JsonObject> acks = flooder.awaitAll("ack", count, Duration.ofSeconds(60));
        List<JsonObject> received = reader.awaitAll("message", count, Duration.ofSeconds(60));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            assertTrue(
                    received.get(i).getString("text").startsWith(i + ":"),
                    "in order, none lost: " + i);
            ids.add(received.get(i).getString("id"));
        }
        assertEquals(count, ids.size());
        assertEquals(count, acks.size());
        assertTrue(took.compareTo(Duration.ofSeconds(45)) < 0, "the reader was delayed: " + took);

        // The socket that does not read cannot see a close frame queued behind the data it has not
        // read, so the proof that the server closed it is its user leaving the room. Measured with
        // ss: its kernel buffers hold ~4 MB (~1,000 of these frames), so 3,000 overflow a
        // backlog of 200 frames with a wide margin.
        try {
            reader.await("member_left", about(slowUser), Duration.ofSeconds(30));
        } catch (AssertionError notClosed) {
            slow.startReading();
            String last = (count - 1) + ":";
            slow.await(
                    "message", f -> f.getString("text").startsWith(last), Duration.ofSeconds(30));
            fail(
                    "the slow socket was never closed: when it read again it got all "
                            + slow.received().size()
                            + " frames (~"
                            + slow.received().size() * 4 / 1024
                            + " MB; the kernel buffers hold ~4 MB, so the server kept the rest)"
                            + " although max-backlog is "
                            + TestNodes.MAX_BACKLOG
                            + " frames");
        }
        // once it reads again it finds the close after the frames it missed: 1013, or an abrupt
        // end (-1) if the server gave up on the close handshake and dropped the connection
        slow.startReading();
        int code = slow.awaitClose(Duration.ofSeconds(30));
        assertTrue(code == 1013 || code == -1, "close code of the slow socket: " + code);
        assertTrue(
                slow.received().size() < count + 2,
                "the slow socket was closed before it got everything: "
                        + slow.received().size()
                        + " frames");
        assertFalse(reader.isClosed());
        assertFalse(flooder.isClosed());
    }

    /** A send frame of exactly {@code bytes} UTF-8 bytes. */
    private static String frameOfBytes(String room, int bytes) {
        String head = "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"";
        String tail = "\"}";
        return head + "a".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private WsClient connect(String user) {
        return WsClient.connect(node, TestTokens.token(user));
    }
}
