package dev.switchboard.orders;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import dev.switchboard.cluster.QuorumQueue;
import dev.switchboard.cluster.Rabbit;
import dev.switchboard.cluster.WorkQueue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's order events on RabbitMQ:
 * <ul>
 * <li>exchange {@code switchboard.events} (topic, durable): every event, persistent, routing key the
 * event name ({@code order.created}, {@code order.updated});</li>
 * <li>{@code switchboard.orders.process} (quorum, bound to {@code order.created}): processors on every
 * node compete for it with a prefetch and manual acks;</li>
 * <li>{@code switchboard.orders.process.delay-<ms>ms}: a failed try waits in its step's delay queue
 * (queue TTL, doubling per step), then dead-letters back to the process queue; header {@code x-tries}
 * counts the tries (see {@link WorkQueue});</li>
 * <li>{@code switchboard.orders.dead}: events whose tries were spent (their order is {@code failed});</li>
 * <li>{@code switchboard.orders.notify} (quorum, bound to {@code order.#}, single active consumer):
 * one node at a time turns events into notifications, so they reach users in order.</li>
 * </ul>
 */
class RabbitOrderEvents implements OrderEvents {
    private static final Logger LOG = Logger.getLogger(RabbitOrderEvents.class.getName());
    static final String EXCHANGE = "switchboard.events";
    static final String PROCESS = "switchboard.orders.process";
    /** The classic retry queue (per-message TTLs) of older versions: it dead-letters into PROCESS by itself. */
    private static final String OLD_RETRY = "switchboard.orders.process.retry";
    static final String DEAD = "switchboard.orders.dead";
    static final String NOTIFY = "switchboard.orders.notify";
    private static final int PROCESS_PREFETCH = 10;
    private static final int NOTIFY_PREFETCH = 100;

    private final Rabbit rabbit;
    private final OrderSettings settings;
    private final WorkQueue queues;
    private final ExecutorService processors;
    private final ExecutorService notifications;
    /** Delivery tags belong to one channel incarnation: after a broker reconnect the old ones must not be acked. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Kept for close() only: deliveries carry the channel they came on. */
    private volatile Channel processChannel;
    private volatile Channel notifyChannel;

    /** @param notifications a single thread, so notifications keep the queue's order */
    RabbitOrderEvents(Rabbit rabbit, OrderSettings settings, ExecutorService notifications, ExecutorService processors) {
        this.rabbit = rabbit;
        this.settings = settings;
        this.processors = processors;
        this.notifications = notifications;
        // a try whose give-up failed waits the step after the last try's (see process)
        this.queues = new WorkQueue(rabbit, PROCESS, DEAD, settings.tries(), settings::backoffMs);
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
            throw new IllegalStateException("switchboard.rabbitmq.uri: cannot declare the order event queues: " + e, e);
        }
        rabbit.onRecovery(generation::incrementAndGet);
    }

    @Override
    public void publish(List<OrderEvent> events) {
        try {
            rabbit.withPublisher(channel -> {
                for (OrderEvent event : events) {
                    var props = MessageProperties.PERSISTENT_TEXT_PLAIN.builder().messageId(event.id()).contentType("application/json").build();
                    channel.basicPublish(EXCHANGE, event.event(), props, event.toJson().getBytes(StandardCharsets.UTF_8));
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
            processChannel = consume(PROCESS, PROCESS_PREFETCH, processors, (channel, tag, gen, props, body) -> process(handlers, channel, tag, gen, props, body));
            notifyChannel = consume(NOTIFY, NOTIFY_PREFETCH, notifications, (channel, tag, gen, props, body) -> deliverNotification(handlers, channel, tag, gen, body));
        } catch (IOException e) {
            throw new IllegalStateException("switchboard.rabbitmq.uri: cannot consume the order event queues: " + e, e);
        }
    }

    /** What a consumer does with one delivery, on its pool; {@code channel} is the one to ack on. */
    private interface Delivery {
        void handle(Channel channel, long tag, int gen, AMQP.BasicProperties props, byte[] body);
    }

    /** Consumes {@code queue} with manual acks on a channel of its own, handing each delivery to {@code pool}. */
    private Channel consume(String queue, int prefetch, ExecutorService pool, Delivery delivery) throws IOException {
        Channel channel = rabbit.newChannel();
        channel.basicQos(prefetch);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                int gen = generation.get();
                pool.execute(() -> delivery.handle(channel, envelope.getDeliveryTag(), gen, props, body));
            }
        });
        return channel;
    }

    private void deliverNotification(Handlers handlers, Channel channel, long tag, int gen, byte[] body) {
        try {
            handlers.notifyUser(OrderEvent.parse(new String(body, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            // a notification is a hint (the order is stored either way); never block the ones behind it
            LOG.log(Level.WARNING, "dropping an order notification that failed", e);
        }
        ack(channel, tag, gen);
    }

    private void process(Handlers handlers, Channel channel, long tag, int gen, AMQP.BasicProperties props, byte[] body) {
        OrderEvent event;
        try {
            event = OrderEvent.parse(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warning("not an order event, dead-lettered: " + e);
            forward(channel, DEAD, () -> queues.bury(props, body, 0, "not an order event"), tag, gen);
            return;
        }
        int tryNumber = WorkQueue.tries(props) + 1;
        try {
            handlers.process(event);
            ack(channel, tag, gen);
            return;
        } catch (Exception e) {
            LOG.info("order " + event.orderId() + ": try " + tryNumber + " of " + settings.tries() + " failed: " + e.getMessage());
        }
        if (tryNumber < settings.tries()) {
            forward(channel, "a delay queue", () -> queues.retry(props, body, tryNumber, tryNumber), tag, gen);
            return;
        }
        try {
            handlers.giveUp(event);
        } catch (RuntimeException e) {
            // the store is down: the same try comes back after a backoff and gives up again
            LOG.warning("order " + event.orderId() + " could not be failed yet: " + e.getMessage());
            forward(channel, "a delay queue", () -> queues.retry(props, body, tryNumber - 1, settings.tries()), tag, gen);
            return;
        }
        forward(channel, DEAD, () -> queues.bury(props, body, tryNumber, null), tag, gen);
    }

    private interface Move {
        void run() throws Exception;
    }

    /** Publishes a copy to a queue (confirmed), then acks the original: the event is always in one queue or the other. */
    private void forward(Channel consumed, String queue, Move copy, long tag, int gen) {
        try {
            copy.run();
            ack(consumed, tag, gen);
        } catch (Exception e) {
            LOG.warning("cannot move an order event to " + queue + ", it will be redelivered: " + e);
            nack(consumed, tag, gen);
        }
    }

    private void ack(Channel channel, long tag, int gen) {
        if (gen != generation.get()) return;     // redelivered on the recovered channel anyway
        try {
            synchronized (channel) {
                channel.basicAck(tag, false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ack failed; the broker redelivers", e);
        }
    }

    private void nack(Channel channel, long tag, int gen) {
        if (gen != generation.get()) return;
        try {
            TimeUnit.SECONDS.sleep(1);                 // the broker is struggling: do not spin on it
            synchronized (channel) {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "nack failed; the broker redelivers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long deadLetters() {
        try {
            return rabbit.withPublisher(queues::deadLetters);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (Channel channel : new Channel[]{processChannel, notifyChannel}) {
            try {
                if (channel != null && channel.isOpen()) channel.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing an order channel failed", e);
            }
        }
        processors.shutdown();
        notifications.shutdown();
    }
}
