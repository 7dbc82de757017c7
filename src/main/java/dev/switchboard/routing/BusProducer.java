package dev.switchboard.routing;

import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Builds the bus for this node's mode: RabbitMQ in a cluster, in-process otherwise. */
@ApplicationScoped
class BusProducer {
    @Inject ClusterConnections connections;
    @Inject NodeIdentity node;
    @Inject LocalDelivery local;

    @Produces
    @ApplicationScoped
    Bus bus() {
        return connections
                .rabbit()
                .<Bus>map(rabbit -> new RabbitBus(rabbit, node.id(), local))
                .orElseGet(() -> new InProcessBus(local));
    }

    void close(@Disposes Bus bus) {
        bus.close();
    }
}
