package dev.switchboard.ops;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /stats}: a servlet rather than a JAX-RS resource because JAX-RS is mapped to {@code /api}
 * and the contract fixes this path at the root.
 */
@WebServlet("/stats")
public class StatsServlet extends HttpServlet {
    @Inject ClusterStats stats;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(stats.snapshot().toString());
    }
}
