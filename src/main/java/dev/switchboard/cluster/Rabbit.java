package dev.switchboard.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's one RabbitMQ connection, with automatic connection and topology recovery (a broker
 * restart restores queues, bindings and consumers without a node restart), and a small pool of
 * publishing channels in confirm mode: a channel is never used by two threads at once.
 */
public final class Rabbit implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Rabbit.class.getName());
    private static final int PUBLISH_CHANNELS = 8;
    private static final long CONFIRM_TIMEOUT_MS = 5000;

    private final Connection connection;
    private final BlockingQueue<Channel> publishers = new ArrayBlockingQueue<>(PUBLISH_CHANNELS);
    private final String where;

    private Rabbit(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    /** Connects at once, so a wrong URI fails at start with the setting's name. */
    static Rabbit connect(String uri, String connectionName) {
        var factory = new ConnectionFactory();
        String where = uri.replaceAll("//[^@/]*@", "//"); // never log credentials
        try {
            factory.setUri(uri);
            factory.setAutomaticRecoveryEnabled(true);
            factory.setTopologyRecoveryEnabled(true);
            factory.setNetworkRecoveryInterval(1000);
            factory.setRequestedHeartbeat(10);
            factory.setConnectionTimeout(5000);
            var rabbit = new Rabbit(factory.newConnection(connectionName), where);
            for (int i = 0; i < PUBLISH_CHANNELS; i++) {
                Channel channel = rabbit.connection.createChannel();
                channel.confirmSelect();
                rabbit.publishers.add(channel);
            }
            return rabbit;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "switchboard.rabbitmq.uri: cannot connect to RabbitMQ at "
                            + where
                            + " ("
                            + e
                            + ")",
                    e);
        }
    }

    /** A channel of one's own, for consuming or topology changes. */
    public Channel newChannel() throws IOException {
        return connection.createChannel();
    }

    public interface ChannelWork<T> {
        T run(Channel channel) throws IOException, InterruptedException, TimeoutException;
    }

    /**
     * Runs work on a pooled confirm-mode channel, waiting at most 5 s for one to be free. A channel
     * that a channel error closed (the broker closes a channel for, say, a passive declare of a
     * missing queue) is replaced, so one failed command never poisons the pool.
     */
    public <T> T withPublisher(ChannelWork<T> work)
            throws IOException, InterruptedException, TimeoutException {
        Channel channel = publishers.poll(5, TimeUnit.SECONDS);
        if (channel == null) throw new TimeoutException("no RabbitMQ channel free within 5 s");
        try {
            if (!channel.isOpen()) channel = replace(channel);
            return work.run(channel);
        } finally {
            publishers.add(channel.isOpen() ? channel : replace(channel));
        }
    }

    /**
     * Puts one persistent message straight into {@code queue} and waits (at most 5 s) for the
     * broker to confirm it: for moving a message between queues, where the original may be acked
     * only once the copy is safe.
     *
     * @throws IOException when the broker refused the message (the copy is not there)
     */
    public void sendConfirmed(String queue, AMQP.BasicProperties props, byte[] body)
            throws IOException, InterruptedException, TimeoutException {
        withPublisher(
                channel -> {
                    channel.basicPublish("", queue, props, body);
                    channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                    return null;
                });
    }

    /**
     * A new confirm-mode channel for a closed one; the closed one again while the connection itself
     * is down.
     */
    private Channel replace(Channel closed) {
        try {
            Channel fresh = connection.createChannel();
            fresh.confirmSelect();
            return fresh;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot replace a closed RabbitMQ channel yet", e);
            return closed;
        }
    }

    /**
     * Runs after the client has recovered the connection and its recorded topology (a broker
     * restart).
     */
    public void onRecovery(Runnable action) {
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(
                    new RecoveryListener() {
                        @Override
                        public void handleRecovery(Recoverable recovered) {
                            action.run();
                        }

                        @Override
                        public void handleRecoveryStarted(Recoverable recovering) {
                            LOG.warning("RabbitMQ connection to " + where + " lost: recovering");
                        }
                    });
        }
    }

    /**
     * Runs when the client starts recovering a lost connection, before it recovers any consumer: a
     * delivery received before this came on the lost connection, any after it on the new one.
     */
    public void onConnectionLost(Runnable action) {
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(
                    new RecoveryListener() {
                        @Override
                        public void handleRecovery(Recoverable recovered) {}

                        @Override
                        public void handleRecoveryStarted(Recoverable recovering) {
                            action.run();
                        }
                    });
        }
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        try {
            connection.close(3000);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing the RabbitMQ connection failed", e);
        }
    }
}
