package dev.switchboard.ops;

import dev.switchboard.node.NodeIdentity;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the message store answers: without it no message can be accepted. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {
    @Resource(lookup = "java:app/jdbc/switchboard")
    DataSource dataSource;

    @Inject NodeIdentity node;

    /**
     * Made at start, on the deploying thread: WildFly runs health checks on a management thread
     * where {@code java:app} names do not resolve, so a check first made there cannot get its
     * {@code @Resource} (WFLYWELD0049).
     */
    void createAtStart(@Observes Startup startup) {}

    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        var response = HealthCheckResponse.named("database").withData("node", node.id());
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(2);
            return response.status(valid)
                    .withData("latencyMs", (System.nanoTime() - start) / 1_000_000)
                    .withData("product", c.getMetaData().getDatabaseProductName())
                    .build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
