package dev.switchboard.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Builds the bus for this node's mode. */
@ApplicationScoped
class BusProducer {
    @Produces
    @ApplicationScoped
    Bus bus() {
        // TODO(#4): a RabbitMQ bus (one topic exchange, a queue per node, interest bindings) when switchboard.rabbitmq.uri is set.
        return new InProcessBus();
    }

    void close(@Disposes Bus bus) {
        bus.close();
    }
}
