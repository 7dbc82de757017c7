package dev.switchboard.ops;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;

/** Ready only while the message store answers: without it no message can be accepted. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {
    @Resource(lookup = "java:app/jdbc/switchboard")
    DataSource dataSource;
    @Inject NodeIdentity node;

    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        var response = HealthCheckResponse.named("database").withData("node", node.id());
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(2);
            return response.status(valid).withData("latencyMs", (System.nanoTime() - start) / 1_000_000)
                    .withData("product", c.getMetaData().getDatabaseProductName()).build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
