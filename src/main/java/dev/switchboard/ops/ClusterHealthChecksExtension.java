package dev.switchboard.ops;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.Readiness;

/**
 * Health lists one check per configured dependency: a standalone node has no Redis or RabbitMQ, so
 * their checks are removed before the container sees them rather than reporting on nothing.
 */
public class ClusterHealthChecksExtension implements Extension {
    void skipUnconfigured(
            @Observes @WithAnnotations(Readiness.class) ProcessAnnotatedType<?> type) {
        Class<?> check = type.getAnnotatedType().getJavaClass();
        if (check == RedisHealthCheck.class && !configured("switchboard.redis.uri")) type.veto();
        if (check == RabbitHealthCheck.class && !configured("switchboard.rabbitmq.uri"))
            type.veto();
    }

    private static boolean configured(String key) {
        return ConfigProvider.getConfig()
                .getOptionalValue(key, String.class)
                .filter(v -> !v.isBlank())
                .isPresent();
    }
}
