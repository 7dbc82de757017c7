/**
 * Authentication: HS256 JWT checks ({@link dev.switchboard.auth.TokenVerifier}), the development
 * token endpoint, the Bearer filter for {@code /api/*} and the authenticated user it yields. JWTs
 * are signed and checked with the JDK's HMAC and the server's JSON-P: HS256 is the only algorithm
 * the contract allows, so a JWT library would add a dependency for a dozen lines.
 */
package dev.switchboard.auth;
