package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.JsonCodec;
import dev.switchboard.SwitchboardException;
import dev.switchboard.auth.AuthSettings;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.auth.InvalidTokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.auth.VerifiedUser;
import dev.switchboard.node.Lifecycle;
import dev.switchboard.presence.PresenceStore;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * Refuses a {@code /ws} handshake with 401 before the upgrade when its token is missing, malformed,
 * badly signed or expired, or when its Origin is not allowed ({@code
 * switchboard.ws.allowed-origins}). A handshake it lets through carries the verified user as its
 * principal ({@link VerifiedUser}).
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class WebSocketHandshakeFilter implements Filter {
    @Inject TokenVerifier tokens;
    @Inject AuthSettings settings;
    @Inject Lifecycle lifecycle;
    @Inject PresenceStore presence;
    @Inject ChatSettings chat;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        var request = (HttpServletRequest) req;
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(req, res);
            return;
        }
        if (lifecycle.draining()) {
            // shutting down: the client should reconnect to another node
            ((HttpServletResponse) res).sendError(503, "node shutting down");
            return;
        }
        if (!settings.originAllowed(request.getHeader("Origin"))) {
            refuse((HttpServletResponse) res, "origin not allowed");
            return;
        }
        AuthenticatedUser user;
        try {
            user = tokens.verify(request.getParameter("token"));
        } catch (InvalidTokenException e) {
            refuse((HttpServletResponse) res, e.getMessage());
            return;
        }
        if (overSocketLimit((HttpServletResponse) res, user)) return;
        chain.doFilter(new WithPrincipal(request, new VerifiedUser(user)), res);
    }

    /**
     * The contract's first answer to a user's socket past the limit, 429 before the upgrade. The
     * exact count comes with the socket's registration, which closes one that still got past this
     * read (1008); refusing here keeps that close rare, and a close right after the upgrade is
     * where Payara's container was seen to race with itself (issue #19's notes).
     */
    private boolean overSocketLimit(HttpServletResponse response, AuthenticatedUser user)
            throws IOException {
        int open;
        try {
            open = presence.sockets(user.id());
        } catch (SwitchboardException e) {
            response.setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
            refuse(response, e.code().httpStatus(), e.code().wire(), e.detail());
            return true;
        }
        if (open < chat.maxSocketsPerUser()) return false;
        refuse(
                response,
                ErrorCode.TOO_MANY_SOCKETS.httpStatus(),
                ErrorCode.TOO_MANY_SOCKETS.wire(),
                "more than " + chat.maxSocketsPerUser() + " sockets of one user");
        return true;
    }

    /** The handshake as the container sees it from here on: with the user the filter verified. */
    private static final class WithPrincipal extends HttpServletRequestWrapper {
        private final VerifiedUser principal;

        WithPrincipal(HttpServletRequest request, VerifiedUser principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }
    }

    private static void refuse(HttpServletResponse response, String detail) throws IOException {
        refuse(response, 401, "unauthorized", detail);
    }

    private static void refuse(
            HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter()
                .write(
                        JsonCodec.objectBuilder()
                                .add("type", "urn:switchboard:" + title)
                                .add("status", status)
                                .add("title", title)
                                .add("detail", detail)
                                .build()
                                .toString());
    }
}
