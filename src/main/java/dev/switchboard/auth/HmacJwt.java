package dev.switchboard.auth;

import dev.switchboard.JsonCodec;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * JWS compact form with HS256 and nothing else. The header's {@code alg} is checked before the
 * signature, so {@code none} and every other algorithm are refused whatever they carry.
 */
final class HmacJwt {
    private static final String HEADER = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    HmacJwt(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String sign(JsonObject claims) {
        String signingInput = HEADER + "." + encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + encode(mac(signingInput));
    }

    /** @return the claims of a well-formed token with a valid HS256 signature */
    JsonObject verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) throw new InvalidTokenException("missing token");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new InvalidTokenException("malformed token");
        JsonObject header = parseObject(parts[0]);
        if (!"HS256".equals(header.getString("alg", null))) throw new InvalidTokenException("only HS256 is accepted");
        byte[] expected = mac(parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expected, decode(parts[2]))) throw new InvalidTokenException("bad signature");
        return parseObject(parts[1]);
    }

    private byte[] mac(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static JsonObject parseObject(String part) throws InvalidTokenException {
        try (var reader = JsonCodec.reader(new String(decode(part), StandardCharsets.UTF_8))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidTokenException("malformed token");
        }
    }

    private static byte[] decode(String part) throws InvalidTokenException {
        try {
            return DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token");
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
