package dev.switchboard.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import dev.switchboard.cluster.Delivery;
import dev.switchboard.cluster.QueueConsumer;
import dev.switchboard.cluster.QuorumQueue;
import dev.switchboard.cluster.Rabbit;
import dev.switchboard.cluster.WorkQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's order events on RabbitMQ:
 *
 * <ul>
 *   <li>exchange {@code switchboard.events} (topic, durable): every event, persistent, routing key
 *       the event name ({@code order.created}, {@code order.updated});
 *   <li>{@code switchboard.orders.process} (bound to {@code order.created}): a {@link WorkQueue}
 *       that processors on every node compete for; a failed try waits in {@code
 *       switchboard.orders.process.delay-<ms>ms} ({@link OrderSettings#backoff()}), and an event
 *       whose tries were spent (its order is {@code failed}) goes to {@code
 *       switchboard.orders.dead};
 *   <li>{@code switchboard.orders.notify} (quorum, bound to {@code order.#}, single active
 *       consumer): one node at a time turns events into notifications, so they reach users in
 *       order.
 * </ul>
 */
class RabbitOrderEvents implements OrderEvents {
    private static final Logger LOG = Logger.getLogger(RabbitOrderEvents.class.getName());
    static final String EXCHANGE = "switchboard.events";
    static final String PROCESS = "switchboard.orders.process";

    /**
     * The classic retry queue (per-message TTLs) of older versions: it dead-letters into PROCESS by
     * itself.
     */
    private static final String OLD_RETRY = "switchboard.orders.process.retry";

    static final String DEAD = "switchboard.orders.dead";
    static final String NOTIFY = "switchboard.orders.notify";
    private static final int PROCESS_PREFETCH = 10;
    private static final int NOTIFY_PREFETCH = 100;

    private final Rabbit rabbit;
    private final WorkQueue queues;
    private final ExecutorService processors;
    private final ExecutorService notifications;
    private volatile QueueConsumer processing;
    private volatile QueueConsumer notifying;

    /**
     * @param notifications a single thread, so notifications keep the queue's order
     */
    RabbitOrderEvents(
            Rabbit rabbit,
            OrderSettings settings,
            ExecutorService notifications,
            ExecutorService processors) {
        this.rabbit = rabbit;
        this.processors = processors;
        this.notifications = notifications;
        this.queues = new WorkQueue(rabbit, PROCESS, DEAD, settings.backoff());
        try {
            queues.declare(Map.of());
            QuorumQueue.declare(rabbit, NOTIFY, Map.of("x-single-active-consumer", true));
            QuorumQueue.deleteIfEmpty(rabbit, OLD_RETRY);
            Channel channel = rabbit.newChannel();
            channel.exchangeDeclare(EXCHANGE, "topic", true);
            channel.queueBind(PROCESS, EXCHANGE, OrderEvent.CREATED);
            channel.queueBind(NOTIFY, EXCHANGE, "order.#");
            channel.close();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "switchboard.rabbitmq.uri: cannot declare the order event queues: " + e, e);
        }
    }

    @Override
    public void publish(List<OrderEvent> events) {
        try {
            rabbit.withPublisher(
                    channel -> {
                        for (OrderEvent event : events) {
                            var props =
                                    MessageProperties.PERSISTENT_TEXT_PLAIN
                                            .builder()
                                            .messageId(event.id())
                                            .contentType("application/json")
                                            .build();
                            channel.basicPublish(
                                    EXCHANGE,
                                    event.event(),
                                    props,
                                    event.toJson().getBytes(StandardCharsets.UTF_8));
                        }
                        channel.waitForConfirmsOrDie(5000);
                        return null;
                    });
        } catch (Exception e) {
            throw new IllegalStateException("order events not confirmed by RabbitMQ: " + e, e);
        }
    }

    @Override
    public void start(Handlers handlers) {
        try {
            processing =
                    queues.consume(
                            PROCESS_PREFETCH, d -> processors.execute(() -> process(handlers, d)));
            notifying =
                    QueueConsumer.start(
                            rabbit,
                            NOTIFY,
                            NOTIFY_PREFETCH,
                            d -> notifications.execute(() -> deliverNotification(handlers, d)));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "switchboard.rabbitmq.uri: cannot consume the order event queues: " + e, e);
        }
    }

    private void deliverNotification(Handlers handlers, Delivery d) {
        try {
            handlers.notifyUser(parse(d));
        } catch (RuntimeException e) {
            // a notification is a hint (the order is stored either way); never block the ones
            // behind it
            LOG.log(Level.WARNING, "dropping an order notification that failed", e);
        }
        d.ack();
    }

    private void process(Handlers handlers, Delivery d) {
        OrderEvent event;
        try {
            event = parse(d);
        } catch (RuntimeException e) {
            queues.bury(d, "not an order event: " + e);
            return;
        }
        String error;
        try {
            handlers.process(event);
            d.ack();
            return;
        } catch (Exception e) {
            error = "order " + event.orderId() + ": " + e.getMessage();
        }
        if (!queues.lastTry(d)) {
            queues.fail(d, error);
            return;
        }
        try {
            handlers.giveUp(event);
        } catch (RuntimeException e) {
            // the store is down: the event comes back after a backoff, fails its last try again and
            // gives up again
            LOG.warning("order " + event.orderId() + " could not be failed yet: " + e.getMessage());
            queues.retry(d, error);
            return;
        }
        queues.fail(d, error);
    }

    private static OrderEvent parse(Delivery d) {
        return OrderEvent.parse(new String(d.body(), StandardCharsets.UTF_8));
    }

    @Override
    public long deadLetters() {
        try {
            return queues.deadLetters();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (QueueConsumer consumer : new QueueConsumer[] {processing, notifying}) {
            if (consumer != null) consumer.close();
        }
        processors.shutdown();
        notifications.shutdown();
    }
}
