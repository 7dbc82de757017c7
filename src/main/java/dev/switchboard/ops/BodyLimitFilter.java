package dev.switchboard.ops;

import dev.switchboard.QuietLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every {@code /api} body is at most 64 KiB (an order of 100 items is about 10 KiB): a declared
 * larger {@code Content-Length} is answered 413 before anything is read, and a chunked body is
 * counted while it is read and fails at the 64 KiB + 1st byte, so no resource ever buffers more. A
 * servlet filter rather than a JAX-RS interceptor: it runs the same on Payara and WildFly, and
 * before the JAX-RS runtime reads anything.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class BodyLimitFilter extends HttpFilter {
    static final int MAX_BODY = 64 * 1024;
    static final String DETAIL = "the request body is over " + MAX_BODY / 1024 + " KiB";
    private static final long MAX_DRAINED = 1024 * 1024;
    private static final QuietLog LOG =
            new QuietLog(Logger.getLogger(BodyLimitFilter.class.getName()), 5);

    @Override
    protected void doFilter(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY) {
            LOG.log(
                    Level.INFO,
                    "body-too-large",
                    () ->
                            "refused an HTTP body of "
                                    + declared
                                    + " bytes declared, over "
                                    + MAX_BODY);
            if (!multiplexed(request)) response.setHeader("Connection", "close");
            Problems.write(response, 413, "too_large", DETAIL);
            if (multiplexed(request) && declared <= MAX_DRAINED) drain(request);
            return;
        }
        var limited = new LimitedRequest(request);
        try {
            chain.doFilter(limited, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!limited.exceeded || response.isCommitted()) throw e;
        }
        if (!limited.exceeded) {
            if (multiplexed(request)) drain(request); // e.g. a 401 given before the body was read
            return;
        }
        // the mapper answers 413 when JAX-RS surfaces BodyTooLarge; this covers a runtime that does
        // not
        if (!response.isCommitted() && response.getStatus() != 413) {
            response.reset();
            LOG.log(
                    Level.INFO,
                    "body-too-large",
                    () -> "refused a chunked HTTP body over " + MAX_BODY + " bytes");
            if (!multiplexed(request)) response.setHeader("Connection", "close");
            Problems.write(response, 413, "too_large", DETAIL);
        }
        if (multiplexed(request)) drain(request);
    }

    /**
     * HTTP/1.1 closes the connection after a 413 instead of reading the rest; an HTTP/2 stream
     * cannot, and its unread body fills the flow-control window, on which some clients (the JDK's
     * HttpClient) then wait for ever. So the rest is read and dropped, up to 1 MiB.
     */
    private static boolean multiplexed(HttpServletRequest request) {
        return request.getProtocol() != null && request.getProtocol().startsWith("HTTP/2");
    }

    private static void drain(HttpServletRequest request) {
        byte[] buffer = new byte[8192];
        long dropped = 0;
        try {
            var in = request.getInputStream();
            for (int n; dropped < MAX_DRAINED && (n = in.read(buffer)) > 0; ) dropped += n;
        } catch (IOException | IllegalStateException e) {
            // the client went away or the container gave no stream: nothing left to drop
        }
    }

    /** Thrown by the counting stream; the mappers find it in the cause chain and answer 413. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super(DETAIL, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an expected refusal: no stack to take or log
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private ServletInputStream stream;
        private BufferedReader reader;
        private long read;
        private volatile boolean exceeded;

        LimitedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) stream = new Counting(super.getInputStream());
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                Charset charset = StandardCharsets.UTF_8;
                try {
                    if (getCharacterEncoding() != null)
                        charset = Charset.forName(getCharacterEncoding());
                } catch (IllegalArgumentException unknown) {
                    // a client's unknown charset name: read as UTF-8, and the JSON parser judges
                    // the bytes
                }
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }

        private int count(int n) throws BodyTooLarge {
            if (n > 0) read += n;
            if (read > MAX_BODY) {
                exceeded = true;
                throw new BodyTooLarge();
            }
            return n;
        }

        private final class Counting extends ServletInputStream {
            private final ServletInputStream in;

            Counting(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) count(1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return count(in.read(buffer, offset, length));
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
