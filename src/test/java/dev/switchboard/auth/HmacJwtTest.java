package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HmacJwtTest {
    private static final byte[] SECRET =
            "hmac-jwt-test-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET =
            "another-secret-also-of-32-bytes!".getBytes(StandardCharsets.UTF_8);

    private final HmacJwt jwt = new HmacJwt(SECRET);

    @Test
    void a_token_signed_by_a_standard_hs256_signer_is_verified() throws Exception {
        // The example token of RFC-compliant tooling (jwt.io) with its published secret: proves
        // interop, not just self-consistency.
        var jwtIo = new HmacJwt("your-256-bit-secret".getBytes(StandardCharsets.UTF_8));
        JsonObject claims =
                jwtIo.verify(
                        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
                                + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
        assertEquals("1234567890", claims.getString("sub"));
        assertEquals("John Doe", claims.getString("name"));
    }

    @Test
    void a_signed_token_verifies_to_its_claims() throws Exception {
        var claims =
                Json.createObjectBuilder()
                        .add("sub", "hj-alice")
                        .add("exp", 1_900_000_000L)
                        .build();
        assertEquals(claims, jwt.verify(jwt.sign(claims)));
    }

    @Test
    void a_signed_token_is_compact_hs256_without_padding() {
        String token = jwt.sign(Json.createObjectBuilder().add("sub", "hj-bob").build());
        String[] parts = token.split("\\.", -1);
        assertEquals(3, parts.length);
        assertFalse(token.contains("="), token);
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertEquals(
                "HS256", Json.createReader(new StringReader(header)).readObject().getString("alg"));
        // the same token from the independent signer: same header, same payload bytes, same MAC
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertEquals(Jws.hs256(SECRET, header, payload), token);
    }

    @Test
    void a_token_signed_with_another_secret_is_refused() {
        String token =
                new HmacJwt(OTHER_SECRET)
                        .sign(Json.createObjectBuilder().add("sub", "hj-carol").build());
        assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
    }

    @Test
    void a_token_whose_payload_was_changed_after_signing_is_refused() {
        String[] parts =
                jwt.sign(Json.createObjectBuilder().add("sub", "hj-dave").build()).split("\\.");
        String forged = parts[0] + "." + Jws.b64("{\"sub\":\"hj-admin\"}") + "." + parts[2];
        assertThrows(InvalidTokenException.class, () -> jwt.verify(forged));
    }

    @Test
    void alg_none_is_refused_with_or_without_a_signature() {
        String unsigned =
                Jws.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}")
                        + "."
                        + Jws.b64("{\"sub\":\"hj-eve\"}")
                        + ".";
        assertThrows(InvalidTokenException.class, () -> jwt.verify(unsigned));
        String macked = Jws.hs256(SECRET, "{\"alg\":\"none\"}", "{\"sub\":\"hj-eve\"}");
        assertThrows(InvalidTokenException.class, () -> jwt.verify(macked));
    }

    @Test
    void a_token_without_alg_is_refused() {
        String token = Jws.hs256(SECRET, "{\"typ\":\"JWT\"}", "{\"sub\":\"hj-frank\"}");
        assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
    }

    @Test
    void a_correctly_signed_hs512_token_is_refused() {
        String input =
                Jws.b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}")
                        + "."
                        + Jws.b64("{\"sub\":\"hj-grace\"}");
        String token = Jws.signed("HmacSHA512", SECRET, input);
        assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
    }

    @Test
    void a_token_of_two_or_four_parts_is_refused() {
        String good = jwt.sign(Json.createObjectBuilder().add("sub", "hj-heidi").build());
        String twoParts = good.substring(0, good.lastIndexOf('.'));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(twoParts));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(good + "."));
    }

    @Test
    void a_missing_token_is_refused() {
        assertThrows(InvalidTokenException.class, () -> jwt.verify(null));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(""));
    }

    @Test
    void parts_that_are_not_base64url_are_refused() {
        String good = jwt.sign(Json.createObjectBuilder().add("sub", "hj-ivan").build());
        String[] parts = good.split("\\.");
        assertThrows(
                InvalidTokenException.class, () -> jwt.verify("@@@." + parts[1] + "." + parts[2]));
        assertThrows(
                InvalidTokenException.class, () -> jwt.verify(parts[0] + "." + parts[1] + ".!!!"));
        String badPayload = Jws.signed("HmacSHA256", SECRET, parts[0] + ".%%%");
        assertThrows(InvalidTokenException.class, () -> jwt.verify(badPayload));
    }

    @Test
    void a_correctly_signed_payload_that_is_not_a_json_object_is_refused() {
        assertThrows(
                InvalidTokenException.class,
                () -> jwt.verify(Jws.hs256(SECRET, "not json at all")));
        assertThrows(
                InvalidTokenException.class,
                () -> jwt.verify(Jws.hs256(SECRET, "[\"sub\",\"x\"]")));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(Jws.hs256(SECRET, "")));
    }

    @Test
    void a_header_that_is_not_json_is_refused() {
        String token = Jws.hs256(SECRET, "HS256", "{\"sub\":\"hj-judy\"}");
        assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
    }

    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private void assertAccepted(String token) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                () -> jwt.verify(token), "the unaltered token verifies");
    }

    private void assertMalformed(String token) {
        var refused = assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
        assertTrue(refused.getMessage().startsWith("malformed token"), refused.getMessage());
    }

    @Test
    void a_header_with_a_crit_parameter_is_refused_even_when_correctly_signed() {
        String token =
                Jws.hs256(
                        SECRET,
                        "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}",
                        "{\"sub\":\"hj-crit\"}");
        var refused = assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
        assertTrue(refused.getMessage().contains("crit"), refused.getMessage());
        assertThrows(
                InvalidTokenException.class,
                () -> jwt.verify(Jws.hs256(SECRET, "{\"alg\":\"HS256\",\"crit\":[]}", "{}")));
    }

    @Test
    void a_header_that_is_json_but_not_an_object_is_refused() {
        assertMalformed(Jws.hs256(SECRET, "[\"HS256\"]", "{\"sub\":\"hj-array\"}"));
        assertMalformed(Jws.hs256(SECRET, "\"HS256\"", "{\"sub\":\"hj-string\"}"));
    }

    @Test
    void padding_in_any_part_is_refused() {
        // 22 and 25 bytes: both encode with a partial last group, which padding would fill
        String header = "{\"alg\":\"HS256\",\"x\":12}";
        String payload = "{\"sub\":\"hj-padding-1\"}";
        String good = Jws.hs256(SECRET, header, payload);
        assertAccepted(good);
        String[] p = good.split("\\.");
        assertMalformed(Jws.signed("HmacSHA256", SECRET, padded(p[0]) + "." + p[1]));
        assertMalformed(Jws.signed("HmacSHA256", SECRET, p[0] + "." + padded(p[1])));
        assertMalformed(p[0] + "." + p[1] + "." + padded(p[2]));
    }

    @Test
    void stray_bits_after_the_last_byte_of_any_part_are_refused() {
        String header = "{\"alg\":\"HS256\",\"x\":12}";
        String payload = "{\"sub\":\"hj-padding-1\"}";
        String[] p = Jws.hs256(SECRET, header, payload).split("\\.");
        // the same bytes decode from either spelling; only the canonical one may be accepted
        assertArrayEqualsDecoded(p[0], strayBits(p[0]));
        assertMalformed(Jws.signed("HmacSHA256", SECRET, strayBits(p[0]) + "." + p[1]));
        assertMalformed(Jws.signed("HmacSHA256", SECRET, p[0] + "." + strayBits(p[1])));
        assertMalformed(p[0] + "." + p[1] + "." + strayBits(p[2]));
    }

    @Test
    void the_standard_base64_alphabet_is_refused_in_any_part() {
        String header =
                withUrlOnlyChars(n -> "{\"alg\":\"HS256\",\"kid\":\"" + "~".repeat(n) + "\"}");
        String payload =
                withUrlOnlyChars(
                        n -> "{\"sub\":\"hj-alphabet\",\"name\":\"" + "~".repeat(n) + "\"}");
        String good = Jws.hs256(SECRET, header, payload);
        String[] p = good.split("\\.");
        assertMalformed(Jws.signed("HmacSHA256", SECRET, standard(p[0]) + "." + p[1]));
        assertMalformed(Jws.signed("HmacSHA256", SECRET, p[0] + "." + standard(p[1])));
        String signed = good;
        for (int i = 0; !signed.split("\\.")[2].matches(".*[-_].*"); i++) {
            signed = Jws.hs256(SECRET, header, "{\"sub\":\"hj-alphabet-" + i + "\"}");
        }
        String[] q = signed.split("\\.");
        assertAccepted(signed);
        assertMalformed(q[0] + "." + q[1] + "." + standard(q[2]));
    }

    @Test
    void a_token_longer_than_8_kib_is_refused_before_it_is_decoded() {
        String fits =
                Jws.hs256(SECRET, "{\"sub\":\"hj-long\",\"pad\":\"" + "p".repeat(5900) + "\"}");
        assertTrue(
                fits.length() > 7900 && fits.length() <= HmacJwt.MAX_TOKEN_CHARS,
                "length " + fits.length());
        assertAccepted(fits);
        String tooLong =
                Jws.hs256(SECRET, "{\"sub\":\"hj-long\",\"pad\":\"" + "p".repeat(6200) + "\"}");
        assertTrue(tooLong.length() > HmacJwt.MAX_TOKEN_CHARS);
        assertMalformed(tooLong);
        assertMalformed("x".repeat(1_000_000));
    }

    @Test
    void deep_nesting_in_the_header_or_payload_is_a_malformed_token() {
        String deep = "[".repeat(2500) + "]".repeat(2500);
        assertMalformed(
                Jws.hs256(
                        SECRET, "{\"alg\":\"HS256\",\"x\":" + deep + "}", "{\"sub\":\"hj-deep\"}"));
        assertMalformed(Jws.hs256(SECRET, HS256, "{\"sub\":\"hj-deep\",\"x\":" + deep + "}"));
        String objects = "{\"a\":".repeat(1500) + "1" + "}".repeat(1500);
        assertMalformed(
                Jws.hs256(
                        SECRET,
                        "{\"alg\":\"HS256\",\"x\":" + objects + "}",
                        "{\"sub\":\"hj-deep\"}"));
        assertMalformed(Jws.hs256(SECRET, HS256, "{\"sub\":\"hj-deep\",\"x\":" + objects + "}"));
    }

    @Test
    void a_number_of_thousands_of_digits_in_the_header_or_payload_is_a_malformed_token() {
        String huge = "9".repeat(1200) + ".5";
        assertMalformed(
                Jws.hs256(
                        SECRET, "{\"alg\":\"HS256\",\"x\":" + huge + "}", "{\"sub\":\"hj-huge\"}"));
        assertMalformed(Jws.hs256(SECRET, HS256, "{\"sub\":\"hj-huge\",\"exp\":" + huge + "}"));
    }

    private static String padded(String part) {
        assertTrue(part.length() % 4 != 0, "a part that padding would change: " + part);
        return part + "=".repeat(4 - part.length() % 4);
    }

    /** The same bytes with a non-zero bit in the unused low bits of the last character. */
    private static String strayBits(String part) {
        assertTrue(part.length() % 4 != 0, "a part with unused bits: " + part);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(part.charAt(part.length() - 1));
        return part.substring(0, part.length() - 1) + alphabet.charAt(last | 1);
    }

    private static void assertArrayEqualsDecoded(String canonical, String other) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                Base64.getUrlDecoder().decode(canonical), Base64.getUrlDecoder().decode(other));
    }

    private static String standard(String part) {
        assertTrue(
                part.matches(".*[-_].*"),
                "a part the standard alphabet spells differently: " + part);
        return part.replace('-', '+').replace('_', '/');
    }

    /** A JSON text, from the given sizes of its filler, whose base64url has '-' or '_'. */
    private static String withUrlOnlyChars(java.util.function.IntFunction<String> json) {
        for (int n = 1; n < 20; n++) {
            if (Jws.b64(json.apply(n)).matches(".*[-_].*")) return json.apply(n);
        }
        throw new AssertionError("no filler gives '-' or '_'");
    }
}
