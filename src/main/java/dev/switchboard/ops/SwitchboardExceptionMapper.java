package dev.switchboard.ops;

import dev.switchboard.ErrorCode;
import dev.switchboard.QuietLog;
import dev.switchboard.SwitchboardException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The contract's errors as problem+json; rate limits and outages add {@code Retry-After} in whole
 * seconds. A bad request or an outage logs one line, at most a few a minute: both can repeat per
 * request.
 */
@Provider
public class SwitchboardExceptionMapper implements ExceptionMapper<SwitchboardException> {
    private static final int MAX_LOGGED_DETAIL = 200;
    private static final QuietLog LOG =
            new QuietLog(Logger.getLogger(SwitchboardExceptionMapper.class.getName()), 5);

    @Override
    public Response toResponse(SwitchboardException e) {
        return problem(e);
    }

    static Response problem(SwitchboardException e) {
        if (e.code() == ErrorCode.UNAVAILABLE) {
            LOG.log(
                    Level.WARNING,
                    "unavailable",
                    () -> "answered 503 to an HTTP request: " + shortened(e.detail()));
        } else if (e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.INVALID_NAME) {
            LOG.log(
                    Level.INFO,
                    "bad-request",
                    () -> "answered 400 to an HTTP request: " + shortened(e.detail()));
        }
        Response response = Problems.response(e.code().httpStatus(), e.code().wire(), e.detail());
        if (e.retryAfterMs() >= 0
                && (e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.UNAVAILABLE)) {
            return Response.fromResponse(response)
                    .header("Retry-After", e.retryAfterSeconds())
                    .build();
        }
        if (e.code() == ErrorCode.UNAVAILABLE) {
            return Response.fromResponse(response)
                    .header("Retry-After", UnexpectedExceptionMapper.RETRY_AFTER_SECONDS)
                    .build();
        }
        return response;
    }

    private static String shortened(String detail) {
        String line = detail == null ? "" : detail.lines().findFirst().orElse("");
        return line.length() > MAX_LOGGED_DETAIL
                ? line.substring(0, MAX_LOGGED_DETAIL) + "…"
                : line;
    }
}
