package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 1 and the handshake rules of section 2 (token, algorithm, Origin, expiry,
 * refresh).
 */
class AuthIT {
    /** The contract allows either refusal: 401 on the handshake, or close 1008 before any frame. */
    private static final Set<String> REFUSED = Set.of("401", "close 1008");

    private final SwitchboardNode node = TestNodes.postgres();

    @Test
    void a_handshake_without_a_token_is_refused() {
        assertRefused(node.wsUri(null), null);
        assertRefused(node.wsUri(""), null);
    }

    @Test
    void a_handshake_with_a_malformed_token_is_refused() {
        assertRefused(node.wsUri("not-a-jwt"), null);
        assertRefused(node.wsUri("a.b.c"), null);
        // a well-formed HS256 token whose claims are no JSON object
        String header =
                TestTokens.b64(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = TestTokens.b64("[1,2]".getBytes(StandardCharsets.UTF_8));
        assertRefused(
                node.wsUri(
                        header
                                + "."
                                + body
                                + "."
                                + TestTokens.b64(
                                        TestTokens.hmac("HmacSHA256", header + "." + body))),
                null);
    }

    @Test
    void a_handshake_with_a_badly_signed_token_is_refused() {
        String user = Unique.name("badsig");
        assertRefused(
                node.wsUri(
                        TestTokens.sign(
                                "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                                claims(user, 3600),
                                "another-secret-of-the-right-length-0123456789")),
                null);
        // the right signature of other claims: the claims were changed after signing
        String good = TestTokens.token(user);
        String forged =
                TestTokens.b64(
                        claims("someone-else", 3600).toString().getBytes(StandardCharsets.UTF_8));
        String[] parts = good.split("\\.");
        assertRefused(node.wsUri(parts[0] + "." + forged + "." + parts[2]), null);
    }

    @Test
    void a_handshake_with_an_expired_token_is_refused() {
        assertRefused(
                node.wsUri(
                        TestTokens.token(
                                Unique.name("expired"), Instant.now().minusSeconds(60), null)),
                null);
    }

    @Test
    void a_token_with_alg_none_is_refused() {
        assertRefused(node.wsUri(TestTokens.unsigned(Unique.name("algnone"))), null);
    }

    @Test
    void a_token_signed_with_another_algorithm_than_hs256_is_refused() {
        JsonObject claims = claims(Unique.name("hs512"), 3600);
        // a genuine HS512 signature with the shared secret: valid, but not the one algorithm
        // allowed
        String header =
                TestTokens.b64(
                        "{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = TestTokens.b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        assertRefused(
                node.wsUri(
                        header
                                + "."
                                + body
                                + "."
                                + TestTokens.b64(
                                        TestTokens.hmac("HmacSHA512", header + "." + body))),
                null);
        // an HS256 signature under a header that claims another algorithm
        assertRefused(
                node.wsUri(
                        TestTokens.sign(
                                "{\"alg\":\"HS384\",\"typ\":\"JWT\"}", claims, TestTokens.SECRET)),
                null);
    }

    @Test
    void a_handshake_from_an_origin_not_in_the_allowed_origins_is_refused() {
        String token = TestTokens.token(Unique.name("origin-bad"));
        assertRefused(node.wsUri(token), "http://evil.example");
        assertRefused(node.wsUri(token), "http://127.0.0.1:" + (node.port() + 1));
    }

    @Test
    void a_handshake_from_an_allowed_origin_or_without_an_origin_is_accepted() {
        String user = Unique.name("origin-ok");
        for (String origin :
                new String[] {
                    "http://127.0.0.1:" + node.port(), "http://localhost:" + node.port(), null
                }) {
            try (var client = WsClient.connect(node, TestTokens.token(user), origin)) {
                client.assertOpen();
            }
        }
    }

    @Test
    void a_rooms_claim_allows_joining_only_the_rooms_it_lists() {
        String allowed = Unique.name("claim-in");
        String other = Unique.name("claim-out");
        String token =
                TestTokens.token(
                        Unique.name("claimed"), Instant.now().plusSeconds(3600), List.of(allowed));
        try (var client = WsClient.connect(node, token)) {
            client.send(Frames.join(other));
            client.awaitError("forbidden");
            assertEquals(allowed, client.join(allowed).getString("room"));
        }
    }

    @Test
    void a_token_that_expires_without_refresh_closes_the_socket_with_1008() {
        Instant expires = Instant.now().plusSeconds(3);
        try (var client =
                WsClient.connect(node, TestTokens.token(Unique.name("expiring"), expires, null))) {
            client.assertOpen();
            assertEquals(1008, client.awaitClose(Duration.ofSeconds(10)));
            assertFalse(
                    Instant.now().isBefore(expires.minusMillis(1200)),
                    "closed well before the token expired");
        }
    }

    @Test
    void refresh_with_a_new_token_keeps_the_socket_open_past_the_old_expiry() {
        String user = Unique.name("refreshing");
        Instant firstExpiry = Instant.now().plusSeconds(3);
        try (var client = WsClient.connect(node, TestTokens.token(user, firstExpiry, null))) {
            client.send(
                    Frames.refresh(TestTokens.token(user, Instant.now().plusSeconds(600), null)));
            client.assertOpen();
            // wait until 1.5 s past the first token's expiry; a close in that time fails the test
            Duration past = Duration.between(Instant.now(), firstExpiry.plusMillis(1500));
            assertStaysOpen(client, past);
            client.expectNone("error", f -> true, Duration.ZERO);
            client.assertOpen();
        }
    }

    @Test
    void refresh_with_another_users_token_is_answered_with_an_error_and_changes_nothing() {
        String user = Unique.name("refresh-own");
        String room = Unique.name("refresh-room");
        try (var client = WsClient.connect(node, TestTokens.token(user))) {
            client.join(room);
            client.send(
                    Json.createObjectBuilder()
                            .add("type", "refresh")
                            .add("token", TestTokens.token(Unique.name("intruder")))
                            .add("ref", "r-1")
                            .build());
            JsonObject error = client.await("error");
            assertEquals("r-1", error.getString("ref", null), "error echoes ref: " + error);
            client.assertOpen();
            client.send(Frames.send(room, "still me", "m-1"));
            assertEquals(
                    user,
                    client.await("message").getString("from"),
                    "the socket still speaks for its own user");
        }
    }

    @Test
    void dev_token_endpoint_issues_a_token_and_its_expiry_when_dev_tokens_are_on() {
        String user = Unique.name("devtok");
        var response =
                node.postJson(
                        "/api/auth/token",
                        Json.createObjectBuilder()
                                .add("user", user)
                                .add("name", "Dev Token")
                                .build()
                                .toString());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
        Instant expiresAt = Instant.parse(body.getString("expiresAt"));
        assertTrue(expiresAt.isAfter(Instant.now()), "expiresAt in the future: " + expiresAt);
        try (var client = WsClient.connect(node, body.getString("token"))) {
            JsonObject welcome = client.received().get(0);
            assertEquals(user, welcome.getString("user"));
            assertEquals("Dev Token", welcome.getString("name"));
        }
    }

    @Test
    void dev_token_endpoint_is_404_when_dev_tokens_are_off() {
        var response =
                TestNodes.embedded()
                        .postJson(
                                "/api/auth/token",
                                "{\"user\":\"" + Unique.name("nodev") + "\",\"name\":\"No Dev\"}");
        assertEquals(404, response.statusCode(), response.body());
    }

    @Test
    void the_display_name_defaults_to_sub() {
        String user = Unique.name("noname");
        String token =
                TestTokens.sign(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                        claims(user, 3600),
                        TestTokens.SECRET);
        try (var client = WsClient.connect(node, token)) {
            JsonObject welcome = client.received().get(0);
            assertEquals("welcome", welcome.getString("type"));
            assertEquals(user, welcome.getString("user"));
            assertEquals(user, welcome.getString("name"), "name defaults to sub");
        }
        try (var client = WsClient.connect(node, TestTokens.token(user))) {
            assertEquals(
                    user + " display",
                    client.received().get(0).getString("name"),
                    "the name claim when given");
        }
    }

    private static void assertRefused(URI uri, String origin) {
        String answer = WsClient.refusal(uri, origin);
        if (!REFUSED.contains(answer))
            fail(
                    "expected 401 or close 1008 before any frame, got "
                            + answer
                            + " for "
                            + uri
                            + " origin "
                            + origin);
    }

    /** Fails if the socket closes within the window. */
    static void assertStaysOpen(WsClient client, Duration window) {
        try {
            int code = client.awaitClose(window);
            fail("socket closed with " + code);
        } catch (AssertionError expected) {
            if (!expected.getMessage().startsWith("socket not closed")) throw expected;
        }
    }

    /** sub and exp, no name. */
    private static JsonObject claims(String user, long validSeconds) {
        return Json.createObjectBuilder()
                .add("sub", user)
                .add("exp", Instant.now().plusSeconds(validSeconds).getEpochSecond())
                .build();
    }
}
