package dev.switchboard.auth;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HmacJwtTest {
    private static final byte[] SECRET = "hmac-jwt-test-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "another-secret-also-of-32-bytes!".getBytes(StandardCharsets.UTF_8);

    private final HmacJwt jwt = new HmacJwt(SECRET);

    @Test
    void a_token_signed_by_a_standard_hs256_signer_is_verified() throws Exception {
        // The example token of RFC-compliant tooling (jwt.io) with its published secret: proves interop, not just self-consistency.
        var jwtIo = new HmacJwt("your-256-bit-secret".getBytes(StandardCharsets.UTF_8));
        JsonObject claims = jwtIo.verify("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
                + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
        assertEquals("1234567890", claims.getString("sub"));
        assertEquals("John Doe", claims.getString("name"));
    }

    @Test
    void a_signed_token_verifies_to_its_claims() throws Exception {
        var claims = Json.createObjectBuilder().add("sub", "hj-alice").add("exp", 1_900_000_000L).build();
        assertEquals(claims, jwt.verify(jwt.sign(claims)));
    }

    @Test
    void a_signed_token_is_compact_hs256_without_padding() {
        String token = jwt.sign(Json.createObjectBuilder().add("sub", "hj-bob").build());
        String[] parts = token.split("\\.", -1);
        assertEquals(3, parts.length);
        assertFalse(token.contains("="), token);
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertEquals("HS256", Json.createReader(new StringReader(header)).readObject().getString("alg"));
        // the same token from the independent signer: same header, same payload bytes, same MAC
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertEquals(Jws.hs256(SECRET, header, payload), token);
    }

    @Test
    void a_token_signed_with_another_secret_is_refused() {
        String token = new HmacJwt(OTHER_SECRET).sign(Json.createObjectBuilder().add("sub", "hj-carol").build());
        assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
    }

    @Test
    void a_token_whose_payload_was_changed_after_signing_is_refused() {
        String[] parts = jwt.sign(Json.createObjectBuilder().add("sub", "hj-dave").build()).split("\\.");
        String forged = parts[0] + "." + Jws.b64("{\"sub\":\"hj-admin\"}") + "." + parts[2];
        assertThrows(InvalidTokenException.class, () -> jwt.verify(forged));
    }

    @Test
    void alg_none_is_refused_with_or_without_a_signature() {
        String unsigned = Jws.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Jws.b64("{\"sub\":\"hj-eve\"}") + ".";
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
        String input = Jws.b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + Jws.b64("{\"sub\":\"hj-grace\"}");
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
        assertThrows(InvalidTokenException.class, () -> jwt.verify("@@@." + parts[1] + "." + parts[2]));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(parts[0] + "." + parts[1] + ".!!!"));
        String badPayload = Jws.signed("HmacSHA256", SECRET, parts[0] + ".%%%");
        assertThrows(InvalidTokenException.class, () -> jwt.verify(badPayload));
    }

    @Test
    void a_correctly_signed_payload_that_is_not_a_json_object_is_refused() {
        assertThrows(InvalidTokenException.class, () -> jwt.verify(Jws.hs256(SECRET, "not json at all")));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(Jws.hs256(SECRET, "[\"sub\",\"x\"]")));
        assertThrows(InvalidTokenException.class, () -> jwt.verify(Jws.hs256(SECRET, "")));
    }

    @Test
    void a_header_that_is_not_json_is_refused() {
        String token = Jws.hs256(SECRET, "HS256", "{\"sub\":\"hj-judy\"}");
        assertThrows(InvalidTokenException.class, () -> jwt.verify(token));
    }
}
