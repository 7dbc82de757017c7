package dev.switchboard.history;

import com.rabbitmq.client.AMQP;
import dev.switchboard.cluster.Rabbit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The cluster's journal: the whole batch is one persistent broker message (a JSON array of the
 * messages) on the quorum queue {@code switchboard.persist}, durable once the broker has confirmed
 * it. One message per batch rather than per chat message: the broker's cost is per message, and it
 * was the largest cost of a stored chat message in a cluster. The database may be down meanwhile:
 * the broker holds the batches until a persister can store them.
 */
public class BrokerJournal implements MessageJournal {
    private static final long CONFIRM_TIMEOUT_MS = 5000;
    private static final AMQP.BasicProperties PROPERTIES =
            new AMQP.BasicProperties.Builder()
                    .deliveryMode(2)
                    .contentType("application/json")
                    .build();

    private final Rabbit rabbit;

    public BrokerJournal(Rabbit rabbit, int persistTries) {
        this.rabbit = rabbit;
        try {
            PersistQueues.declare(rabbit, persistTries);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "switchboard.rabbitmq.uri: cannot declare the persist queues: " + e, e);
        }
    }

    @Override
    public void write(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        if (roomMessages.isEmpty() && directMessages.isEmpty()) return;
        try {
            byte[] body = body(roomMessages, directMessages);
            boolean confirmed =
                    rabbit.withPublisher(
                            channel -> {
                                channel.basicPublish("", PersistQueues.PERSIST, PROPERTIES, body);
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

    private static byte[] body(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        var json =
                new StringBuilder(256 * (roomMessages.size() + directMessages.size())).append('[');
        for (RoomMessage m : roomMessages) json.append(m.json()).append(',');
        for (DirectMessage m : directMessages) json.append(MessageJson.direct(m)).append(',');
        json.setCharAt(json.length() - 1, ']');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
