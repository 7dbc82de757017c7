package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private static final byte[] SECRET =
            "token-verifier-test-secret-32-by".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
    private static final long IN_A_MINUTE = NOW.getEpochSecond() + 60;

    private final TokenVerifier verifier =
            new TokenVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    private static JsonObjectBuilder claims(String sub) {
        return Json.createObjectBuilder().add("sub", sub).add("exp", IN_A_MINUTE);
    }

    private static String token(JsonObjectBuilder claims) {
        return Jws.hs256(SECRET, claims.build().toString());
    }

    private void assertRefused(String token) {
        assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    }

    @Test
    void a_valid_token_is_accepted_with_its_claims() throws Exception {
        var user = verifier.verify(token(claims("tv-alice").add("name", "Alice A.")));
        assertEquals(new UserId("tv-alice"), user.id());
        assertEquals("Alice A.", user.name());
        assertEquals(Instant.ofEpochSecond(IN_A_MINUTE), user.expiresAt());
    }

    @Test
    void a_handshake_the_filter_verified_is_taken_without_checking_its_token_again()
            throws Exception {
        var verified = verifier.verify(token(claims("tv-filtered").add("name", "Filtered")));
        assertEquals(verified, verifier.verifyHandshake(new VerifiedUser(verified), null));
        assertEquals("tv-filtered", new VerifiedUser(verified).getName());
    }

    @Test
    void a_handshake_without_the_filter_s_user_has_its_token_checked() throws Exception {
        java.security.Principal containers = () -> "tv-container-user";
        assertThrows(
                InvalidTokenException.class,
                () -> verifier.verifyHandshake(containers, "not-a-token"));
        assertThrows(InvalidTokenException.class, () -> verifier.verifyHandshake(null, null));
        assertEquals(
                new UserId("tv-bob"),
                verifier.verifyHandshake(containers, token(claims("tv-bob"))).id());
    }

    @Test
    void the_display_name_defaults_to_sub() throws Exception {
        assertEquals("tv-bob", verifier.verify(token(claims("tv-bob"))).name());
    }

    @Test
    void a_name_of_100_characters_is_accepted() throws Exception {
        String name = "n".repeat(100);
        assertEquals(name, verifier.verify(token(claims("tv-carol").add("name", name))).name());
    }

    @Test
    void a_name_over_100_characters_is_refused() {
        assertRefused(token(claims("tv-carol").add("name", "n".repeat(101))));
    }

    @Test
    void a_name_that_is_not_a_string_is_refused() {
        assertRefused(token(claims("tv-carol").add("name", 42)));
    }

    @Test
    void without_a_rooms_claim_any_room_may_be_joined() throws Exception {
        var user = verifier.verify(token(claims("tv-dave")));
        assertNull(user.allowedRooms());
        assertTrue(user.mayJoin(new RoomName("tv-anything")));
    }

    @Test
    void a_rooms_claim_limits_the_rooms_that_may_be_joined() throws Exception {
        var user =
                verifier.verify(
                        token(
                                claims("tv-erin")
                                        .add(
                                                "rooms",
                                                Json.createArrayBuilder()
                                                        .add("tv-lobby")
                                                        .add("tv-ops"))));
        assertEquals(Set.of(new RoomName("tv-lobby"), new RoomName("tv-ops")), user.allowedRooms());
        assertTrue(user.mayJoin(new RoomName("tv-lobby")));
        assertTrue(user.mayJoin(new RoomName("tv-ops")));
        assertFalse(user.mayJoin(new RoomName("tv-secret")));
    }

    @Test
    void an_empty_rooms_claim_allows_no_room() throws Exception {
        var user =
                verifier.verify(token(claims("tv-erin").add("rooms", Json.createArrayBuilder())));
        assertFalse(user.mayJoin(new RoomName("tv-lobby")));
    }

    @Test
    void a_rooms_claim_that_is_not_an_array_is_refused() {
        assertRefused(token(claims("tv-frank").add("rooms", "tv-lobby")));
        assertRefused(
                token(
                        claims("tv-frank")
                                .add("rooms", Json.createObjectBuilder().add("tv-lobby", true))));
    }

    @Test
    void a_rooms_claim_with_a_bad_room_name_is_refused() {
        assertRefused(
                token(
                        claims("tv-frank")
                                .add(
                                        "rooms",
                                        Json.createArrayBuilder().add("tv-lobby").add("tv.ops"))));
        assertRefused(
                token(
                        claims("tv-frank")
                                .add("rooms", Json.createArrayBuilder().add("tv-lobby").add(7))));
        assertRefused(token(claims("tv-frank").add("rooms", Json.createArrayBuilder().add(""))));
    }

    @Test
    void a_badly_signed_token_is_refused() {
        byte[] other = "some-other-secret-thirty-two-byt".getBytes(StandardCharsets.UTF_8);
        assertRefused(Jws.hs256(other, claims("tv-grace").build().toString()));
    }

    @Test
    void alg_none_is_refused() {
        assertRefused(
                Jws.b64("{\"alg\":\"none\"}")
                        + "."
                        + Jws.b64(claims("tv-grace").build().toString())
                        + ".");
    }

    @Test
    void alg_hs512_is_refused() {
        String input =
                Jws.b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}")
                        + "."
                        + Jws.b64(claims("tv-grace").build().toString());
        assertRefused(Jws.signed("HmacSHA512", SECRET, input));
    }

    @Test
    void malformed_tokens_are_refused() {
        String good = token(claims("tv-heidi"));
        assertRefused(good.substring(0, good.lastIndexOf('.'))); // two parts
        assertRefused("@@@." + good.substring(good.indexOf('.') + 1)); // header not base64url
        assertRefused(Jws.hs256(SECRET, "{\"sub\":\"tv-heidi\",\"exp\":")); // payload not JSON
        assertRefused(null);
        assertRefused("");
    }

    @Test
    void a_token_without_exp_is_refused() {
        assertRefused(token(Json.createObjectBuilder().add("sub", "tv-ivan")));
    }

    @Test
    void a_non_numeric_exp_is_refused() {
        assertRefused(
                token(
                        Json.createObjectBuilder()
                                .add("sub", "tv-ivan")
                                .add("exp", String.valueOf(IN_A_MINUTE))));
        assertRefused(token(Json.createObjectBuilder().add("sub", "tv-ivan").addNull("exp")));
    }

    @Test
    void an_expired_token_is_refused() {
        assertRefused(
                token(
                        Json.createObjectBuilder()
                                .add("sub", "tv-judy")
                                .add("exp", NOW.getEpochSecond() - 1)));
    }

    @Test
    void a_token_is_refused_from_the_second_of_its_exp() throws Exception {
        assertRefused(
                token(
                        Json.createObjectBuilder()
                                .add("sub", "tv-judy")
                                .add("exp", NOW.getEpochSecond())));
        verifier.verify(
                token(
                        Json.createObjectBuilder()
                                .add("sub", "tv-judy")
                                .add("exp", NOW.getEpochSecond() + 1)));
    }

    @Test
    void an_exp_beyond_the_representable_range_is_refused_not_thrown_as_a_runtime_exception() {
        // A signed token with an absurd exp must still end as InvalidTokenException (401 / 1008),
        // never as a 500.
        assertRefused(
                token(Json.createObjectBuilder().add("sub", "tv-judy").add("exp", Long.MAX_VALUE)));
    }

    @Test
    void a_token_without_sub_is_refused() {
        assertRefused(
                token(Json.createObjectBuilder().add("exp", IN_A_MINUTE).add("name", "Nobody")));
    }

    @Test
    void a_sub_that_is_not_a_string_is_refused() {
        assertRefused(token(Json.createObjectBuilder().add("sub", 12345).add("exp", IN_A_MINUTE)));
    }

    @Test
    void a_sub_that_is_not_a_valid_name_is_refused() {
        assertRefused(token(claims("tv.mallory")));
        assertRefused(token(claims("tv mallory")));
        assertRefused(token(claims("")));
        assertRefused(token(claims("m".repeat(65))));
    }

    @Test
    void an_issued_token_round_trips_through_verify() throws Exception {
        var issued =
                verifier.issue(new UserId("tv-kim"), "Kim K.", List.of(new RoomName("tv-lobby")));
        var user = verifier.verify(issued.token());
        assertEquals(new UserId("tv-kim"), user.id());
        assertEquals("Kim K.", user.name());
        assertEquals(Set.of(new RoomName("tv-lobby")), user.allowedRooms());
        assertEquals(NOW.plus(Duration.ofHours(1)), issued.expiresAt());
        assertEquals(issued.expiresAt(), user.expiresAt());
    }

    @Test
    void an_issued_token_without_rooms_allows_any_room() throws Exception {
        var user = verifier.verify(verifier.issue(new UserId("tv-lee"), "Lee", null).token());
        assertNull(user.allowedRooms());
    }

    @Test
    void an_issued_token_is_refused_once_it_expires() {
        String token = verifier.issue(new UserId("tv-mia"), "Mia", null).token();
        var anHourLater =
                new TokenVerifier(
                        SECRET, Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertThrows(InvalidTokenException.class, () -> anHourLater.verify(token));
    }

    @Test
    void an_issued_token_is_refused_by_a_verifier_with_another_secret() {
        String token = verifier.issue(new UserId("tv-ned"), "Ned", null).token();
        var other =
                new TokenVerifier(
                        "some-other-secret-thirty-two-byt".getBytes(StandardCharsets.UTF_8),
                        Clock.fixed(NOW, ZoneOffset.UTC));
        assertThrows(InvalidTokenException.class, () -> other.verify(token));
    }

    @Test
    void the_issued_expiry_is_the_expiry_the_token_carries() throws Exception {
        // A real clock has milliseconds; the dev endpoint tells the client this expiresAt, so it
        // must not be later than exp.
        var withMillis =
                new TokenVerifier(SECRET, Clock.fixed(NOW.plusMillis(750), ZoneOffset.UTC));
        var issued = withMillis.issue(new UserId("tv-olga"), "Olga", null);
        assertEquals(issued.expiresAt(), withMillis.verify(issued.token()).expiresAt());
    }

    private static String payload(String sub, String timeClaims) {
        return "{\"sub\":\"" + sub + "\"," + timeClaims + "}";
    }

    private static TokenVerifier with(ClaimRules rules) {
        return new TokenVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC), rules);
    }

    private static TokenVerifier withLeeway(long seconds) {
        return with(new ClaimRules(seconds, null, null));
    }

    @Test
    void a_token_whose_nbf_is_in_the_future_is_refused() throws Exception {
        var refused =
                assertThrows(
                        InvalidTokenException.class,
                        () ->
                                verifier.verify(
                                        token(
                                                claims("tv-nbf")
                                                        .add("nbf", NOW.getEpochSecond() + 1))));
        assertTrue(refused.getMessage().contains("nbf"), refused.getMessage());
        verifier.verify(token(claims("tv-nbf").add("nbf", NOW.getEpochSecond())));
        verifier.verify(token(claims("tv-nbf").add("nbf", NOW.getEpochSecond() - 3600)));
    }

    @Test
    void a_token_whose_iat_is_in_the_future_is_refused() throws Exception {
        var refused =
                assertThrows(
                        InvalidTokenException.class,
                        () ->
                                verifier.verify(
                                        token(
                                                claims("tv-iat")
                                                        .add("iat", NOW.getEpochSecond() + 1))));
        assertTrue(refused.getMessage().contains("iat"), refused.getMessage());
        verifier.verify(token(claims("tv-iat").add("iat", NOW.getEpochSecond())));
    }

    @Test
    void the_leeway_accepts_an_exp_just_past_and_an_nbf_or_iat_just_ahead() throws Exception {
        var lenient = withLeeway(30);
        var user =
                lenient.verify(
                        token(
                                Json.createObjectBuilder()
                                        .add("sub", "tv-leeway")
                                        .add("exp", NOW.getEpochSecond() - 29)));
        assertEquals(NOW.plusSeconds(1), user.expiresAt(), "accepted until exp plus the leeway");
        lenient.verify(token(claims("tv-leeway").add("nbf", NOW.getEpochSecond() + 30)));
        lenient.verify(token(claims("tv-leeway").add("iat", NOW.getEpochSecond() + 30)));
    }

    @Test
    void the_leeway_does_not_reach_past_its_seconds() {
        var lenient = withLeeway(30);
        assertThrows(
                InvalidTokenException.class,
                () ->
                        lenient.verify(
                                token(
                                        Json.createObjectBuilder()
                                                .add("sub", "tv-leeway")
                                                .add("exp", NOW.getEpochSecond() - 30))));
        assertThrows(
                InvalidTokenException.class,
                () ->
                        lenient.verify(
                                token(claims("tv-leeway").add("nbf", NOW.getEpochSecond() + 31))));
        assertThrows(
                InvalidTokenException.class,
                () ->
                        lenient.verify(
                                token(claims("tv-leeway").add("iat", NOW.getEpochSecond() + 31))));
    }

    @Test
    void without_leeway_expiresAt_is_exp() throws Exception {
        assertEquals(
                Instant.ofEpochSecond(IN_A_MINUTE),
                withLeeway(0).verify(token(claims("tv-exp"))).expiresAt());
    }

    @Test
    void time_claims_must_be_whole_seconds_from_0_to_10_to_the_16() throws Exception {
        assertEquals(
                Instant.ofEpochSecond(TokenVerifier.MAX_EPOCH_SECOND),
                verifier.verify(
                                token(
                                        Json.createObjectBuilder()
                                                .add("sub", "tv-far")
                                                .add("exp", TokenVerifier.MAX_EPOCH_SECOND)))
                        .expiresAt());
        for (String claim : new String[] {"exp", "nbf", "iat"}) {
            String other = claim.equals("exp") ? "" : ",\"exp\":" + IN_A_MINUTE;
            for (String bad :
                    new String[] {
                        "10000000000000001",
                        "-1",
                        String.valueOf(Long.MIN_VALUE),
                        "1.5",
                        (NOW.getEpochSecond() - 10) + ".5",
                        "1e999999999",
                        "-1e999999999",
                        "1e-999999999",
                        "9".repeat(1200),
                        "\"" + IN_A_MINUTE + "\"",
                        "true",
                        "null",
                        "[1]"
                    }) {
                String json = payload("tv-times", "\"" + claim + "\":" + bad + other);
                var refused =
                        assertThrows(
                                InvalidTokenException.class,
                                () -> verifier.verify(Jws.hs256(SECRET, json)),
                                json);
                assertTrue(
                        refused.getMessage().contains(claim)
                                || refused.getMessage().startsWith("malformed"),
                        json + ": " + refused.getMessage());
            }
        }
    }

    @Test
    void a_whole_number_written_with_a_fraction_or_exponent_is_taken() throws Exception {
        assertEquals(
                Instant.ofEpochSecond(IN_A_MINUTE),
                verifier.verify(
                                Jws.hs256(
                                        SECRET,
                                        payload("tv-written", "\"exp\":" + IN_A_MINUTE + ".0")))
                        .expiresAt());
        assertEquals(
                Instant.ofEpochSecond(2_000_000_000L),
                verifier.verify(Jws.hs256(SECRET, payload("tv-written", "\"exp\":2e9")))
                        .expiresAt());
    }

    @Test
    void with_an_issuer_set_iss_must_equal_it() throws Exception {
        var strict = with(new ClaimRules(0, "https://id.example", null));
        strict.verify(token(claims("tv-iss").add("iss", "https://id.example")));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-iss").add("iss", "https://other.example"))));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-iss").add("iss", "https://id.example/"))));
        assertThrows(InvalidTokenException.class, () -> strict.verify(token(claims("tv-iss"))));
        assertThrows(
                InvalidTokenException.class,
                () ->
                        strict.verify(
                                token(
                                        claims("tv-iss")
                                                .add(
                                                        "iss",
                                                        Json.createArrayBuilder()
                                                                .add("https://id.example")))));
        verifier.verify(
                token(claims("tv-iss").add("iss", "https://anyone.example"))); // no issuer set: any
    }

    @Test
    void with_an_audience_set_aud_must_be_or_contain_it() throws Exception {
        var strict = with(new ClaimRules(0, null, "switchboard"));
        strict.verify(token(claims("tv-aud").add("aud", "switchboard")));
        strict.verify(
                token(
                        claims("tv-aud")
                                .add(
                                        "aud",
                                        Json.createArrayBuilder()
                                                .add("billing")
                                                .add("switchboard"))));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-aud").add("aud", "billing"))));
        assertThrows(
                InvalidTokenException.class,
                () ->
                        strict.verify(
                                token(
                                        claims("tv-aud")
                                                .add(
                                                        "aud",
                                                        Json.createArrayBuilder()
                                                                .add("billing")
                                                                .add("switchboard2")))));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-aud").add("aud", Json.createArrayBuilder()))));
        assertThrows(InvalidTokenException.class, () -> strict.verify(token(claims("tv-aud"))));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-aud").add("aud", 7))));
        verifier.verify(token(claims("tv-aud").add("aud", "anything"))); // no audience set: any
    }

    @Test
    void issuer_and_audience_apply_together() throws Exception {
        var strict = with(new ClaimRules(0, "https://id.example", "switchboard"));
        strict.verify(
                token(
                        claims("tv-both")
                                .add("iss", "https://id.example")
                                .add("aud", "switchboard")));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-both").add("iss", "https://id.example"))));
        assertThrows(
                InvalidTokenException.class,
                () -> strict.verify(token(claims("tv-both").add("aud", "switchboard"))));
    }

    @Test
    void a_header_with_crit_is_refused() {
        assertRefused(
                Jws.hs256(
                        SECRET,
                        "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
                        claims("tv-crit").build().toString()));
    }
}
