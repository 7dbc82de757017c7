package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 4's token rules as a client meets them: the handshake, HTTP Bearer and
 * refresh.
 */
class TokenRulesIT {
    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void a_token_whose_nbf_or_iat_is_in_the_future_is_refused_with_401() {
        long inAMinute = Instant.now().plusSeconds(60).getEpochSecond();
        assertEquals(
                401,
                handshake(
                        TestTokens.sign(
                                HS256,
                                claims(Unique.name("nbf")).add("nbf", inAMinute).build(),
                                TestTokens.SECRET)));
        assertEquals(
                401,
                handshake(
                        TestTokens.sign(
                                HS256,
                                claims(Unique.name("iat")).add("iat", inAMinute).build(),
                                TestTokens.SECRET)));
        // the same claims a minute in the past are fine
        long aMinuteAgo = Instant.now().minusSeconds(60).getEpochSecond();
        assertEquals(
                101,
                handshake(
                        TestTokens.sign(
                                HS256,
                                claims(Unique.name("nbf-ok"))
                                        .add("nbf", aMinuteAgo)
                                        .add("iat", aMinuteAgo)
                                        .build(),
                                TestTokens.SECRET)));
    }

    @Test
    void a_token_whose_header_has_crit_is_refused_with_401() {
        String token =
                TestTokens.sign(
                        "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}",
                        claims(Unique.name("crit")).build(),
                        TestTokens.SECRET);
        assertEquals(401, handshake(token));
        assertEquals(
                401, node.get("/api/presence?user=" + Unique.name("anyone"), token).statusCode());
    }

    @Test
    void deep_nesting_or_a_huge_number_in_a_token_is_401_without_a_stack_trace_in_the_log() {
        int logBefore = node.log().length();
        String deep = "[".repeat(1500) + "]".repeat(1500);
        String huge = "9".repeat(1200) + ".5";
        String user = Unique.name("parser");
        List<String> tokens =
                List.of(
                        TestTokens.sign(
                                "{\"alg\":\"HS256\",\"x\":" + deep + "}",
                                claims(user).build(),
                                TestTokens.SECRET),
                        TestTokens.sign(
                                "{\"alg\":\"HS256\",\"x\":" + huge + "}",
                                claims(user).build(),
                                TestTokens.SECRET),
                        TestTokens.sign(
                                HS256,
                                "{\"sub\":\""
                                        + user
                                        + "\",\"exp\":"
                                        + Instant.now().plusSeconds(3600).getEpochSecond()
                                        + ",\"x\":"
                                        + deep
                                        + "}",
                                TestTokens.SECRET),
                        TestTokens.sign(
                                HS256,
                                "{\"sub\":\"" + user + "\",\"exp\":" + huge + "}",
                                TestTokens.SECRET));
        for (String token : tokens) {
            assertEquals(401, handshake(token), token.substring(0, 40));
            var response = node.get("/api/presence?user=" + user, token);
            assertEquals(401, response.statusCode(), response.body());
        }
        String logged = node.log().substring(logBefore);
        assertFalse(logged.contains("\tat "), "a stack trace in the log:\n" + logged);
        assertFalse(logged.contains("Exception"), "an exception in the log:\n" + logged);
    }

    @Test
    void a_token_valid_for_millions_of_years_works_and_its_user_goes_offline_on_close() {
        String user = Unique.name("forever");
        String room = Unique.name("forever-room");
        String token =
                TestTokens.sign(
                        HS256,
                        Json.createObjectBuilder()
                                .add("sub", user)
                                .add("exp", 10_000_000_000_000_000L)
                                .build(),
                        TestTokens.SECRET);
        try (var watcher = WsClient.connect(node, TestTokens.token(Unique.name("watcher")))) {
            watcher.join(room);
            try (var client = WsClient.connect(node, token)) {
                client.join(room);
                client.send(Frames.send(room, "still here", "m-1"));
                assertEquals("still here", watcher.await("message").getString("text"));
                assertEquals("online", presence(user));
            }
            watcher.await("member_left", f -> user.equals(f.getString("user", null)));
        }
        // no event tells the HTTP view: poll, bounded
        Poll.until(
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                () -> presence(user),
                "offline"::equals,
                status -> "the user of a closed socket is still " + status);
    }

    @Test
    void refresh_with_a_narrower_rooms_claim_leaves_the_rooms_it_leaves_out() {
        String user = Unique.name("narrowed");
        String kept = Unique.name("kept-room");
        String dropped = Unique.name("dropped-room");
        Instant expires = Instant.now().plusSeconds(3600);
        try (var client =
                        WsClient.connect(
                                node, TestTokens.token(user, expires, List.of(kept, dropped)));
                var other = WsClient.connect(node, TestTokens.token(Unique.name("stayer")))) {
            client.join(kept);
            client.join(dropped);
            other.join(dropped);
            client.send(Frames.refresh(TestTokens.token(user, expires, List.of(kept))));
            JsonObject left = client.await("left");
            assertEquals(dropped, left.getString("room"));
            assertEquals("forbidden", left.getString("reason", null), "left says why: " + left);
            other.await(
                    "member_left",
                    f ->
                            user.equals(f.getString("user", null))
                                    && dropped.equals(f.getString("room")));
            client.expectNone("left", f -> kept.equals(f.getString("room")), Duration.ZERO);
            client.send(Frames.send(kept, "in the kept room", "m-kept"));
            client.await("ack");
            client.send(Frames.send(dropped, "in the dropped room", "m-dropped"));
            client.awaitError("not_member");
            client.send(Frames.join(dropped));
            client.awaitError("forbidden");
            client.assertOpen();
        }
    }

    @Test
    void refresh_with_a_refused_token_closes_the_socket_with_1008() {
        String user = Unique.name("badrefresh");
        for (String bad :
                List.of(
                        "not-a-jwt",
                        TestTokens.token(user, Instant.now().minusSeconds(60), null),
                        TestTokens.sign(
                                HS256,
                                claims(user).build(),
                                "another-secret-of-the-right-length-0123456789"),
                        TestTokens.sign(
                                HS256,
                                claims(user)
                                        .add("nbf", Instant.now().plusSeconds(60).getEpochSecond())
                                        .build(),
                                TestTokens.SECRET))) {
            try (var client = WsClient.connect(node, TestTokens.token(user))) {
                client.send(Frames.refresh(bad));
                assertEquals(1008, client.awaitClose(WsClient.TIMEOUT), "for " + bad);
                assertTrue(
                        client.closeReason().startsWith("refresh token refused"),
                        "reason: " + client.closeReason());
                client.expectNone("error", f -> true, Duration.ZERO);
            }
        }
    }

    private int handshake(String token) {
        return WsClient.handshakeStatus(node.wsUri(token), null);
    }

    private String presence(String user) {
        var response =
                node.get("/api/presence?user=" + user, TestTokens.token(Unique.name("asker")));
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject().getString(user);
    }

    private static jakarta.json.JsonObjectBuilder claims(String user) {
        return Json.createObjectBuilder()
                .add("sub", user)
                .add("exp", Instant.now().plusSeconds(3600).getEpochSecond());
    }
}
