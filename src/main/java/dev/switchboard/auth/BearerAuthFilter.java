package dev.switchboard.auth;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Every {@code /api/...} path but the token endpoint needs {@code Authorization: Bearer <JWT>}: 401
 * without one.
 */
@Provider
public class BearerAuthFilter implements ContainerRequestFilter {
    private static final String PREFIX = "Bearer ";

    @Inject TokenVerifier verifier;
    @Inject CurrentUser currentUser;

    @Override
    public void filter(ContainerRequestContext request) {
        // relative to /api: "auth/token" on Jersey (Payara), "/auth/token" on RESTEasy (WildFly)
        String path = request.getUriInfo().getPath();
        if ((path.startsWith("/") ? path.substring(1) : path).startsWith("auth/token")) return;
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(PREFIX)) {
            throw new SwitchboardException(
                    ErrorCode.UNAUTHORIZED, "a valid Bearer token is required");
        }
        try {
            currentUser.set(verifier.verify(header.substring(PREFIX.length()).trim()));
        } catch (InvalidTokenException e) {
            throw new SwitchboardException(ErrorCode.UNAUTHORIZED, e.getMessage());
        }
    }
}
