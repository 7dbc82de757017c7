package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent JWS signer for the tests, so that a token the verifier accepts is one any standard
 * library would make, and so that tokens the verifier must refuse can be built at all.
 */
final class Jws {
    private Jws() {}

    static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hs256(byte[] secret, String headerJson, String payloadJson) {
        return signed("HmacSHA256", secret, b64(headerJson) + "." + b64(payloadJson));
    }

    static String hs256(byte[] secret, String payloadJson) {
        return hs256(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson);
    }

    /** Signs the given (already encoded) signing input with the given JCA MAC algorithm. */
    static String signed(String macAlgorithm, byte[] secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(secret, macAlgorithm));
            return signingInput
                    + "."
                    + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
