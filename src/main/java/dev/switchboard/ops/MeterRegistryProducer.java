package dev.switchboard.ops;

import dev.switchboard.node.NodeIdentity;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The application's one meter registry: Micrometer's Prometheus registry, bundled in the WAR so
 * {@code /metrics} is the same on every server. Features inject it as {@code MeterRegistry}. Every
 * meter carries the node id, so a Prometheus that scrapes all nodes tells them apart even behind
 * one service address.
 */
@ApplicationScoped
class MeterRegistryProducer {
    @Inject NodeIdentity node;

    private JvmGcMetrics gc;

    /**
     * A singleton rather than application scoped: the registry class cannot be proxied (no no-arg
     * constructor).
     */
    @Produces
    @Singleton
    PrometheusMeterRegistry registry() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", node.id());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return registry;
    }

    void close(@Disposes PrometheusMeterRegistry registry) {
        if (gc != null) gc.close();
        registry.close();
    }
}
