package dev.switchboard.ops;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.cluster.Redis;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import redis.clients.jedis.Jedis;

/**
 * Ready only while Redis answers a PING: presence, membership, seqs and limits live there. Cluster
 * mode only.
 */
@Readiness
@ApplicationScoped
public class RedisHealthCheck implements HealthCheck {
    @Inject ClusterConnections connections;
    @Inject NodeIdentity node;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("redis").withData("node", node.id());
        Redis redis = connections.redis().orElseThrow();
        return TimedProbe.run(response, () -> redis.call(Jedis::ping));
    }
}
