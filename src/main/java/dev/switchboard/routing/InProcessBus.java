package dev.switchboard.routing;

import java.util.function.Consumer;

/** A standalone node is its own cluster: publishing is delivering, on the publisher's thread. */
public class InProcessBus implements Bus {
    private volatile Consumer<Envelope> receiver = envelope -> { };

    @Override
    public void onDelivery(Consumer<Envelope> receiver) {
        this.receiver = receiver;
    }

    @Override
    public void publish(Envelope envelope) {
        receiver.accept(envelope);
    }
}
