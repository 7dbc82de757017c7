package dev.switchboard.history;

import com.rabbitmq.client.AMQP;
import dev.switchboard.cluster.Rabbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The cluster's journal: each message of the batch is published persistent to the durable queue
 * {@code switchboard.persist}, and the batch counts as durable once the broker has confirmed all of
 * it (one round trip per batch). The database may be down meanwhile: the broker holds the messages
 * until a persister can store them.
 */
public class BrokerJournal implements MessageJournal {
    private static final long CONFIRM_TIMEOUT_MS = 5000;

    private final Rabbit rabbit;

    public BrokerJournal(Rabbit rabbit) {
        this.rabbit = rabbit;
        try {
            var channel = rabbit.newChannel();
            PersistQueues.declare(channel);
            channel.close();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("switchboard.rabbitmq.uri: cannot declare the persist queues: " + e, e);
        }
    }

    @Override
    public void write(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        try {
            boolean confirmed = rabbit.withPublisher(channel -> {
                for (RoomMessage m : roomMessages) publish(channel, m.id(), MessageJson.room(m).toString());
                for (DirectMessage m : directMessages) publish(channel, m.id(), MessageJson.direct(m).toString());
                return channel.waitForConfirms(CONFIRM_TIMEOUT_MS);
            });
            if (!confirmed) throw new IllegalStateException("the broker refused part of the batch");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("the broker did not take the batch: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker confirmed", e);
        }
    }

    @Override
    public boolean available() {
        return rabbit.isOpen();
    }

    private static void publish(com.rabbitmq.client.Channel channel, String id, String json) throws IOException {
        var props = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").messageId(id).build();
        channel.basicPublish("", PersistQueues.PERSIST, props, json.getBytes(StandardCharsets.UTF_8));
    }
}
