package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens made the way a client's auth service would: signed with the secret the test nodes share.
 */
public final class TestTokens {
    public static final String SECRET = "switchboard-integration-test-secret-0123456789";

    private TestTokens() {}

    public static String token(String user) {
        return token(user, Instant.now().plusSeconds(3600), null);
    }

    public static String token(String user, Instant expires, List<String> rooms) {
        var claims =
                Json.createObjectBuilder()
                        .add("sub", user)
                        .add("name", user + " display")
                        .add("exp", expires.getEpochSecond());
        if (rooms != null) claims.add("rooms", Json.createArrayBuilder(rooms));
        return sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims.build(), SECRET);
    }

    public static String sign(String header, JsonObject claims, String secret) {
        return sign(header, claims.toString(), secret);
    }

    /**
     * Signs this exact payload text, for payloads a JsonObject cannot hold (deep nesting, a number
     * of 1200 digits).
     */
    public static String sign(String header, String payload, String secret) {
        String input =
                b64(header.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64(payload.getBytes(StandardCharsets.UTF_8));
        return input + "." + b64(hmac("HmacSHA256", input, secret));
    }

    /**
     * The MAC of a JWS signing input with the test secret, for tokens signed with another algorithm
     * or over bytes of one's own.
     */
    static byte[] hmac(String algorithm, String input) {
        return hmac(algorithm, input, SECRET);
    }

    private static byte[] hmac(String algorithm, String input, String secret) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with {@code alg: none} and no signature. */
    public static String unsigned(String user) {
        var claims =
                Json.createObjectBuilder()
                        .add("sub", user)
                        .add("exp", Instant.now().plusSeconds(3600).getEpochSecond())
                        .build();
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + b64(claims.toString().getBytes(StandardCharsets.UTF_8))
                + ".";
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
