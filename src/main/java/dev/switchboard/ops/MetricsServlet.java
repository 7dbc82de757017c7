package dev.switchboard.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics}: Prometheus text, written by the Prometheus client library. A servlet, as
 * {@code /stats} is, because the contract fixes the path at the root. (Payara's own MicroProfile
 * Metrics endpoint is switched off in payara/post-boot-commands.asadmin so that this one answers.)
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {
    @Inject PrometheusMeterRegistry registry;
    @Inject ApplicationMeters meters;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        meters.refresh();
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        registry.scrape(response.getOutputStream());
    }
}
