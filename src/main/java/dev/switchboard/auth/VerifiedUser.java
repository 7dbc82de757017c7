package dev.switchboard.auth;

import java.security.Principal;

/**
 * The principal of a {@code /ws} handshake whose token {@code chat.WebSocketHandshakeFilter} has
 * just verified. The WebSocket container hands the handshake's principal to the session, so the
 * endpoint takes the user from it instead of checking the same token a second time.
 */
public record VerifiedUser(AuthenticatedUser user) implements Principal {
    @Override
    public String getName() {
        return user.id().value();
    }
}
