package dev.switchboard.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Safe defaults on every answer: no MIME sniffing, no framing (clickjacking), and a
 * Content-Security-Policy that lets the page run only its own script and style files and talk only
 * to its own host, over HTTP or WebSocket. The page has no inline script, style or handler
 * (index.html, app.js); keep it so. WebSocket handshakes are left alone: they carry no document.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {
    /** A Host header we may echo into the policy; anything else gets 'self' alone. */
    private static final Pattern HOST =
            Pattern.compile(
                    "[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");

    private static final String POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'";

    @Override
    protected void doFilter(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // only the WebSocket handshake is skipped: an h2c upgrade (the JDK's HttpClient) is an
        // ordinary request
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Content-Security-Policy", policy(request.getHeader("Host")));
        }
        chain.doFilter(request, response);
    }

    /**
     * 'self' covers ws: and wss: of the same host only in CSP 3 browsers, so both are named too.
     */
    static String policy(String host) {
        if (host == null || !HOST.matcher(host).matches()) return POLICY;
        return POLICY + " ws://" + host + " wss://" + host;
    }
}
