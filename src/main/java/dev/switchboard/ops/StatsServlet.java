package dev.switchboard.ops;

import dev.switchboard.ErrorCode;
import dev.switchboard.QuietLog;
import dev.switchboard.SwitchboardException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /stats}: a servlet rather than a JAX-RS resource because JAX-RS is mapped to {@code
 * /api} and the contract fixes this path at the root. With Redis or the broker down it answers 503
 * with Retry-After, as the API does, rather than the container's 500 page and a stack trace.
 */
@WebServlet("/stats")
public class StatsServlet extends HttpServlet {
    private static final QuietLog LOG =
            new QuietLog(Logger.getLogger(StatsServlet.class.getName()), 5);

    @Inject ClusterStats stats;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String snapshot;
        try {
            snapshot = stats.snapshot().toString();
        } catch (RuntimeException e) {
            // Redis.call reports an outage as the contract's unavailable, without a cause
            var outage =
                    e instanceof SwitchboardException s && s.code() == ErrorCode.UNAVAILABLE
                            ? Optional.of(DependencyOutage.REDIS)
                            : DependencyOutage.of(e);
            LOG.log(
                    Level.WARNING,
                    "stats-" + outage.map(Enum::name).orElse("failed"),
                    () -> "/stats not read: " + UnexpectedExceptionMapper.summary(e));
            response.setHeader("Cache-Control", "no-store");
            if (outage.isEmpty()) {
                Problems.write(response, 500, "internal", "unexpected server fault");
            } else {
                response.setHeader(
                        "Retry-After",
                        String.valueOf(UnexpectedExceptionMapper.RETRY_AFTER_SECONDS));
                Problems.write(
                        response,
                        503,
                        "unavailable",
                        outage.get().label + " is unavailable, try again shortly");
            }
            return;
        }
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(snapshot);
    }
}
