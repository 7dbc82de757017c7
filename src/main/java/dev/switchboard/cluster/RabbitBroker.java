package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link Broker} on the node's RabbitMQ connection; the generation counts the connections lost. */
final class RabbitBroker implements Broker {
    private static final Logger LOG = Logger.getLogger(RabbitBroker.class.getName());

    private final Rabbit rabbit;
    private final AtomicInteger generation = new AtomicInteger();

    RabbitBroker(Rabbit rabbit) {
        this.rabbit = rabbit;
        // deliveries not acked on the lost connection come again on the recovered one, with new
        // tags; counted at the start of recovery, as once it is over the recovered consumers may
        // have had new ones
        rabbit.onConnectionLost(generation::incrementAndGet);
    }

    @Override
    public void declare(String queue, Map<String, Object> arguments) throws IOException {
        QuorumQueue.declare(rabbit, queue, arguments);
    }

    @Override
    public void send(String queue, AMQP.BasicProperties props, byte[] body) throws IOException {
        try {
            rabbit.sendConfirmed(queue, props, body);
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ did not confirm a message to " + queue + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while RabbitMQ confirmed a message to " + queue, e);
        }
    }

    @Override
    public long messageCount(String queue) throws IOException {
        try {
            return rabbit.withPublisher(channel -> channel.messageCount(queue));
        } catch (TimeoutException e) {
            throw new IOException("no RabbitMQ channel free to count " + queue, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while counting " + queue, e);
        }
    }

    @Override
    public int generation() {
        return generation.get();
    }

    @Override
    public Subscription subscribe(String queue, int prefetch) throws IOException {
        Channel channel = rabbit.newChannel();
        channel.basicQos(prefetch);
        return new Subscription() {
            private volatile String consumerTag;

            @Override
            public void start(Receiver receiver) throws IOException {
                consumerTag =
                        channel.basicConsume(
                                queue,
                                false,
                                new DefaultConsumer(channel) {
                                    @Override
                                    public void handleDelivery(
                                            String tag,
                                            Envelope envelope,
                                            AMQP.BasicProperties props,
                                            byte[] body) {
                                        receiver.deliver(envelope.getDeliveryTag(), props, body);
                                    }
                                });
            }

            // a channel is not for two threads at once: workers of a pool ack on it concurrently
            @Override
            public void ack(long tag) throws IOException {
                synchronized (channel) {
                    channel.basicAck(tag, false);
                }
            }

            @Override
            public void requeue(long tag) throws IOException {
                synchronized (channel) {
                    channel.basicNack(tag, false, true);
                }
            }

            @Override
            public void cancel() {
                if (consumerTag == null) return;
                try {
                    synchronized (channel) {
                        channel.basicCancel(consumerTag);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "cancelling the consumer of " + queue + " failed", e);
                }
            }

            @Override
            public void close() {
                try {
                    if (channel.isOpen()) channel.close();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    LOG.log(Level.FINE, "closing the channel of " + queue + " failed", e);
                }
            }
        };
    }
}
