package dev.switchboard.cluster;

import dev.switchboard.node.NodeIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Opens the cluster's Redis pool and RabbitMQ connection at start (cluster mode only) and closes
 * them at stop.
 */
@ApplicationScoped
public class ClusterConnections {
    @Inject ClusterSettings settings;
    @Inject NodeIdentity node;

    private Redis redis;
    private Rabbit rabbit;

    @PostConstruct
    void open() {
        if (!settings.clustered()) return;
        redis = Redis.connect(settings.redisUri().orElseThrow());
        try {
            rabbit = Rabbit.connect(settings.rabbitUri().orElseThrow(), "switchboard-" + node.id());
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    public Optional<Redis> redis() {
        return Optional.ofNullable(redis);
    }

    public Optional<Rabbit> rabbit() {
        return Optional.ofNullable(rabbit);
    }

    @PreDestroy
    void close() {
        if (rabbit != null) rabbit.close();
        if (redis != null) redis.close();
    }
}
