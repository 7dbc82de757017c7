package dev.switchboard.auth;

/**
 * What a node's settings add to the checks of every token (PROTOCOL.md section 4).
 *
 * @param leewaySeconds how far {@code exp}, {@code nbf} and {@code iat} may be off, for clocks that
 *     disagree
 * @param issuer the {@code iss} every token must carry, or null for any
 * @param audience the value {@code aud} must be or contain, or null for any
 */
record ClaimRules(long leewaySeconds, String issuer, String audience) {
    static final ClaimRules NONE = new ClaimRules(0, null, null);
}
