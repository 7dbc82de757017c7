package dev.switchboard.orders;

import dev.switchboard.UserId;
import dev.switchboard.chat.ChatService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Consumes order events: the payment step moves a pending order to {@code confirmed} (or, once its
 * tries are spent, {@code failed}); every event becomes a {@code notification} on the user's
 * sockets. Deciding is idempotent, so a redelivered event changes nothing twice.
 */
@ApplicationScoped
public class OrderProcessor implements OrderEvents.Handlers {
    /** Orders a standalone node resumes after a restart, at most. */
    private static final int RESUME_MAX = 10_000;

    @Inject OrderSettings settings;
    @Inject OrderStore store;
    @Inject OrderCache cache;
    @Inject OrderEvents events;
    @Inject OutboxRelay relay;
    @Inject ChatService chat;

    void start(@Observes Startup startup) {
        events.start(this);
        relay.start();
        events.resume(
                () ->
                        store.pending(RESUME_MAX).stream()
                                .map(
                                        o ->
                                                OrderEvent.of(
                                                        o.id(),
                                                        OrderEvent.CREATED,
                                                        o,
                                                        o.createdAt().toEpochMilli()))
                                .toList());
    }

    @Override
    public void process(OrderEvent created) throws PaymentDeclinedException {
        if (settings.failRate() > 0
                && ThreadLocalRandom.current().nextDouble() < settings.failRate()) {
            throw new PaymentDeclinedException(
                    "payment declined (switchboard.orders.fail-rate=" + settings.failRate() + ")");
        }
        decide(created.orderId(), OrderStatus.CONFIRMED);
    }

    @Override
    public void giveUp(OrderEvent created) {
        decide(created.orderId(), OrderStatus.FAILED);
    }

    private void decide(String orderId, OrderStatus outcome) {
        store.decide(orderId, outcome)
                .ifPresent(
                        order -> {
                            cache.putIfNewer(order);
                            relay.wakeUp();
                        });
    }

    @Override
    public void notifyUser(OrderEvent event) {
        chat.notifyUser(new UserId(event.userId()), event.event(), event.orderJson());
    }

    static class PaymentDeclinedException extends Exception {
        PaymentDeclinedException(String message) {
            super(message);
        }
    }
}
