package dev.switchboard.auth;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import jakarta.enterprise.context.RequestScoped;

/** The user of the current HTTP request, set by {@link BearerAuthFilter}. */
@RequestScoped
public class CurrentUser {
    private AuthenticatedUser user;

    void set(AuthenticatedUser user) {
        this.user = user;
    }

    public AuthenticatedUser get() {
        if (user == null)
            throw new SwitchboardException(
                    ErrorCode.UNAUTHORIZED, "a valid Bearer token is required");
        return user;
    }
}
