package dev.switchboard.auth;

import dev.switchboard.JsonCodec;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWS compact form with HS256 and nothing else. The header's {@code alg} is checked before the
 * signature, so {@code none} and every other algorithm are refused whatever they carry; the payload
 * is parsed only once its signature holds, so an unsigned payload never reaches the JSON parser.
 */
final class HmacJwt {
    /**
     * Far above any real token (a few hundred bytes); bounds the decoding and parsing a stranger
     * can ask for.
     */
    static final int MAX_TOKEN_CHARS = 8192;

    private static final String HEADER =
            encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String MALFORMED = "malformed token";

    private final SecretKeySpec key;

    HmacJwt(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String sign(JsonObject claims) {
        String signingInput =
                HEADER + "." + encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + encode(mac(signingInput));
    }

    /**
     * @return the claims of a well-formed token with a valid HS256 signature
     */
    JsonObject verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) throw new InvalidTokenException("missing token");
        if (token.length() > MAX_TOKEN_CHARS)
            throw new InvalidTokenException(
                    MALFORMED + ": longer than " + MAX_TOKEN_CHARS + " characters");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new InvalidTokenException(MALFORMED);
        JsonObject header = parseObject(decode(parts[0]));
        if (!"HS256".equals(header.getString("alg", null)))
            throw new InvalidTokenException("only HS256 is accepted");
        // RFC 7515 4.1.11: a recipient must refuse critical extensions it does not understand, and
        // we understand none
        if (header.containsKey("crit"))
            throw new InvalidTokenException("the crit header parameter is not supported");
        byte[] expected = mac(parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expected, decode(parts[2])))
            throw new InvalidTokenException("bad signature");
        return parseObject(decode(parts[1]));
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

    private static JsonObject parseObject(byte[] json) throws InvalidTokenException {
        JsonObject object = JsonCodec.objectOrNull(new String(json, StandardCharsets.UTF_8));
        if (object == null) throw new InvalidTokenException(MALFORMED);
        return object;
    }

    /**
     * Canonical base64url only (RFC 7515 section 2: no padding, no other alphabet, no stray bits),
     * so a token has exactly one spelling: re-encoding what was decoded must give the same text.
     */
    private static byte[] decode(String part) throws InvalidTokenException {
        byte[] bytes;
        try {
            bytes = DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(MALFORMED);
        }
        if (!encode(bytes).equals(part))
            throw new InvalidTokenException(MALFORMED + ": not canonical base64url");
        return bytes;
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
