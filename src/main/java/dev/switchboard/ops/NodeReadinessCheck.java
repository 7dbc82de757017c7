package dev.switchboard.ops;

import dev.switchboard.node.Lifecycle;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready once the node drains for shutdown, so a load balancer stops sending it new sockets. */
@Readiness
@ApplicationScoped
public class NodeReadinessCheck implements HealthCheck {
    @Inject NodeIdentity node;
    @Inject Lifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node")
                .status(!lifecycle.draining())
                .withData("node", node.id())
                .withData("draining", lifecycle.draining())
                .build();
    }
}
