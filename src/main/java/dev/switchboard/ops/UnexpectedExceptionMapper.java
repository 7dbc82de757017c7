package dev.switchboard.ops;

import dev.switchboard.QuietLog;
import dev.switchboard.SwitchboardException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else, as problem+json and never with a stack trace for a client's mistake or a
 * dependency outage: a body over the limit is 413; JAX-RS's own errors (404, 405, unreadable
 * bodies) keep their status; a database, Redis or RabbitMQ outage is 503 with Retry-After; only a
 * fault of ours is 500. Each kind logs one line, at most a few a minute.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    /**
     * Long enough for a pool to reconnect or a broker to fail over, short enough not to lose the
     * user.
     */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final int MAX_CAUSES = 20;
    private static final QuietLog LOG =
            new QuietLog(Logger.getLogger(UnexpectedExceptionMapper.class.getName()), 5);

    @Override
    public Response toResponse(Throwable e) {
        int depth = 0;
        for (Throwable t = e;
                t != null && depth++ < MAX_CAUSES;
                t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyLimitFilter.BodyTooLarge) {
                LOG.log(
                        Level.INFO,
                        "body-too-large",
                        () ->
                                "refused an HTTP body over "
                                        + BodyLimitFilter.MAX_BODY
                                        + " bytes (read so far)");
                return Problems.response(
                        413,
                        "too_large",
                        BodyLimitFilter.DETAIL); // BodyLimitFilter closes or drains
            }
            // one wrapped on its way up (an interceptor, a transaction) is still the contract's
            // error
            if (t instanceof SwitchboardException contract)
                return SwitchboardExceptionMapper.problem(contract);
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String title =
                    status == 400 ? "bad_request" : status == 404 ? "not_found" : "http_" + status;
            String detail =
                    status == 400
                            ? "the request body is not valid JSON of the expected shape"
                            : web.getResponse().getStatusInfo().getReasonPhrase();
            if (status >= 500) {
                LOG.log(
                        Level.WARNING,
                        "http-" + status,
                        () -> "HTTP " + status + " from the JAX-RS runtime: " + summary(e));
            } else {
                LOG.log(
                        Level.INFO,
                        "http-" + status,
                        () -> "HTTP " + status + " for a client's request: " + summary(e));
            }
            return Problems.response(status, title, detail == null ? "HTTP " + status : detail);
        }
        var outage = DependencyOutage.of(e);
        if (outage.isPresent()) {
            String what = outage.get().label;
            LOG.log(
                    Level.WARNING,
                    "outage-" + outage.get(),
                    () -> what + " unavailable for an HTTP request, answered 503: " + summary(e));
            return Response.fromResponse(
                            Problems.response(
                                    503,
                                    "unavailable",
                                    what + " is unavailable, try again shortly"))
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        LOG.log(
                Level.WARNING,
                "unexpected",
                () -> "unexpected failure in an HTTP request, answered 500",
                e);
        return Problems.response(500, "internal", "unexpected server fault");
    }

    /** The exception and its causes, by simple name and first message line each: one log line. */
    static String summary(Throwable e) {
        var line = new StringBuilder();
        int depth = 0;
        for (Throwable t = e;
                t != null && depth++ < MAX_CAUSES;
                t = t.getCause() == t ? null : t.getCause()) {
            if (line.length() > 0) line.append(" <- ");
            line.append(t.getClass().getSimpleName());
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                message = message.lines().findFirst().orElse("");
                line.append(": ")
                        .append(message.length() > 160 ? message.substring(0, 160) + "…" : message);
            }
        }
        return line.toString();
    }
}
