package dev.switchboard.ops;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.cluster.Rabbit;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the RabbitMQ connection is open and the broker answers a round trip: routing and
 * the durable message pipeline go through it. Cluster mode only.
 */
@Readiness
@ApplicationScoped
public class RabbitHealthCheck implements HealthCheck {
    /** An exchange every virtual host has, asked for passively: one round trip, no side effect. */
    private static final String PROBE_EXCHANGE = "amq.topic";

    @Inject ClusterConnections connections;
    @Inject NodeIdentity node;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("rabbitmq").withData("node", node.id());
        Rabbit rabbit = connections.rabbit().orElseThrow();
        if (!rabbit.isOpen())
            return response.down().withData("error", "connection closed (recovering)").build();
        return TimedProbe.run(
                response,
                () ->
                        rabbit.withPublisher(
                                channel -> channel.exchangeDeclarePassive(PROBE_EXCHANGE)));
    }
}
