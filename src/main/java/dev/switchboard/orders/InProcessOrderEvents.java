package dev.switchboard.orders;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A standalone node's order events: a single notification thread (so notifications keep their
 * order) and a small processor pool whose retries are scheduled with backoff. Events in flight are
 * lost with the process; {@link #resume} picks up the orders they left pending.
 */
class InProcessOrderEvents implements OrderEvents {
    private static final Logger LOG = Logger.getLogger(InProcessOrderEvents.class.getName());

    private final OrderSettings settings;
    private final ExecutorService notifications;
    private final ScheduledExecutorService processors;
    private final AtomicLong dead = new AtomicLong();
    private volatile Handlers handlers;

    /**
     * @param notifications a single thread, so notifications keep their order
     */
    InProcessOrderEvents(
            OrderSettings settings,
            ExecutorService notifications,
            ScheduledExecutorService processors) {
        this.settings = settings;
        this.notifications = notifications;
        this.processors = processors;
    }

    @Override
    public void start(Handlers handlers) {
        this.handlers = handlers;
    }

    @Override
    public void publish(List<OrderEvent> events) {
        for (OrderEvent event : events) {
            notifications.execute(() -> deliverNotification(event));
            if (OrderEvent.CREATED.equals(event.event()))
                processors.execute(() -> attempt(event, 1));
        }
    }

    @Override
    public void resume(java.util.function.Supplier<List<OrderEvent>> pendingCreated) {
        pendingCreated.get().forEach(event -> processors.execute(() -> attempt(event, 1)));
    }

    private void deliverNotification(OrderEvent event) {
        try {
            handlers.notifyUser(event);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "notification of "
                            + event.event()
                            + " for order "
                            + event.orderId()
                            + " failed",
                    e);
        }
    }

    private void attempt(OrderEvent event, int tryNumber) {
        try {
            handlers.process(event);
            return;
        } catch (Exception e) {
            LOG.info(
                    "order "
                            + event.orderId()
                            + ": try "
                            + tryNumber
                            + " of "
                            + settings.tries()
                            + " failed: "
                            + e.getMessage());
        }
        if (tryNumber < settings.tries()) {
            processors.schedule(
                    () -> attempt(event, tryNumber + 1),
                    settings.backoffMs(tryNumber),
                    TimeUnit.MILLISECONDS);
            return;
        }
        giveUp(event);
    }

    private void giveUp(OrderEvent event) {
        try {
            handlers.giveUp(event);
            dead.incrementAndGet();
        } catch (RuntimeException e) {
            // the store is down: try again later rather than leave the order pending forever
            LOG.warning("order " + event.orderId() + " could not be failed yet: " + e.getMessage());
            processors.schedule(
                    () -> giveUp(event),
                    settings.backoffMs(settings.tries()),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long deadLetters() {
        return dead.get();
    }

    @Override
    public void close() {
        notifications.shutdown();
        processors.shutdownNow();
        try {
            notifications.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
