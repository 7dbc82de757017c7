package dev.switchboard.history;

import com.rabbitmq.client.Channel;

import java.io.IOException;
import java.util.Map;

/**
 * The durable queues of the cluster's message pipeline, on the default exchange:
 * <ul>
 * <li>{@code switchboard.persist}: every accepted message, persistent, until a persister has stored it;</li>
 * <li>{@code switchboard.persist.retry}: a message whose insert failed waits here for its backoff
 * (per-message TTL), then dead-letters back to {@code switchboard.persist}; header {@code x-retries} counts the tries;</li>
 * <li>{@code switchboard.persist.dead}: messages that failed every try, kept for inspection and replay.</li>
 * </ul>
 */
final class PersistQueues {
    static final String PERSIST = "switchboard.persist";
    static final String RETRY = "switchboard.persist.retry";
    static final String DEAD = "switchboard.persist.dead";
    static final String RETRIES_HEADER = "x-retries";

    private PersistQueues() {
    }

    static void declare(Channel channel) throws IOException {
        channel.queueDeclare(PERSIST, true, false, false, Map.of());
        channel.queueDeclare(RETRY, true, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", PERSIST));
        channel.queueDeclare(DEAD, true, false, false, Map.of());
    }
}
