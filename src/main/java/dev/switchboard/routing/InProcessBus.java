package dev.switchboard.routing;

/** A standalone node is its own cluster: publishing is delivering, on the publisher's thread. */
public class InProcessBus implements Bus {
    private final LocalDelivery local;

    public InProcessBus(LocalDelivery local) {
        this.local = local;
    }

    @Override
    public void publish(Envelope envelope) {
        local.deliver(envelope);
    }
}
