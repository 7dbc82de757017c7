package dev.switchboard.ops;

import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the application is deployed and answering; dependencies are readiness, not liveness.
 */
@Liveness
@ApplicationScoped
public class NodeLivenessCheck implements HealthCheck {
    @Inject NodeIdentity node;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node")
                .up()
                .withData("node", node.id())
                .withData("startedAt", node.startedAt().toString())
                .build();
    }
}
