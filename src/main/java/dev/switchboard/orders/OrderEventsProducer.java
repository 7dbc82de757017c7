package dev.switchboard.orders;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.node.WorkerPools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Builds the order events for this node's mode: RabbitMQ in a cluster, in-process otherwise. */
@ApplicationScoped
class OrderEventsProducer {
    @Inject ClusterConnections connections;
    @Inject OrderSettings settings;
    @Inject WorkerPools pools;

    @Produces
    @ApplicationScoped
    OrderEvents orderEvents() {
        var notifications = pools.startedPool("switchboard-order-notify", 1);
        var processors = pools.startedPool("switchboard-order-process", 2);
        return connections
                .rabbit()
                .<OrderEvents>map(
                        rabbit ->
                                new RabbitOrderEvents(rabbit, settings, notifications, processors))
                .orElseGet(() -> new InProcessOrderEvents(settings, notifications, processors));
    }

    void close(@Disposes OrderEvents events) {
        events.close();
    }
}
