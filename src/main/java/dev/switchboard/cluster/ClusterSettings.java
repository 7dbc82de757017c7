package dev.switchboard.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which mode this node runs in, checked once at start. */
@ApplicationScoped
public class ClusterSettings {
    @Inject
    @ConfigProperty(name = "switchboard.redis.uri")
    Optional<String> redisUri;

    @Inject
    @ConfigProperty(name = "switchboard.rabbitmq.uri")
    Optional<String> rabbitUri;

    @Inject
    @ConfigProperty(name = "switchboard.db.url")
    String dbUrl;

    @PostConstruct
    void check() {
        if (redisUri.isPresent() != rabbitUri.isPresent()) {
            String set =
                    redisUri.isPresent() ? "switchboard.redis.uri" : "switchboard.rabbitmq.uri";
            String missing =
                    redisUri.isPresent() ? "switchboard.rabbitmq.uri" : "switchboard.redis.uri";
            throw new IllegalStateException(
                    set
                            + " is set but "
                            + missing
                            + " is not: a cluster needs both, a standalone node neither");
        }
        if (clustered() && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException(
                    "switchboard.db.url must be a jdbc:postgresql: URL in cluster mode"
                            + " (every node must share one store), is "
                            + dbUrl.split("[;?]")[0]);
        }
    }

    public boolean clustered() {
        return redisUri.isPresent();
    }

    public Optional<String> redisUri() {
        return redisUri;
    }

    public Optional<String> rabbitUri() {
        return rabbitUri;
    }
}
