package dev.switchboard.history;

import dev.switchboard.node.Counters;
import java.util.List;
import java.util.logging.Logger;

/**
 * The cluster's default journal: a batch commits in PostgreSQL while it answers (an ack means
 * stored, without two broker hops), else goes to the {@link BrokerJournal}, where the broker holds
 * it until a {@link Persister} stores it. An unreachable or slow database sends the next {@value
 * #STORE_RETRY_AFTER_MS} ms of batches to the broker too; a refused batch goes there so the
 * persisters can find the bad message; with the broker down a batch is refused, since it could not
 * be routed. A batch that reached both is stored once: persisters insert by id.
 */
public class StoreFirstJournal implements MessageJournal {
    private static final Logger LOG = Logger.getLogger(StoreFirstJournal.class.getName());
    static final int STORE_TIMEOUT_SECONDS = 2;
    static final long STORE_RETRY_AFTER_MS = 1000;

    private final MessageStore store;
    private final MessageJournal broker;
    private final Counters counters;

    /** Until when (System.nanoTime) batches skip the database; the writer thread's own. */
    private long storeDownUntil = System.nanoTime();

    public StoreFirstJournal(MessageStore store, MessageJournal broker, Counters counters) {
        this.store = store;
        this.broker = broker;
        this.counters = counters;
    }

    @Override
    public void write(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        if (!broker.available())
            throw new IllegalStateException(
                    "the broker is unreachable: other nodes could not receive the batch");
        if (System.nanoTime() - storeDownUntil >= 0) {
            try {
                store.insertIgnoringDuplicates(roomMessages, directMessages, STORE_TIMEOUT_SECONDS);
                counters.persisted(roomMessages.size() + directMessages.size());
                return;
            } catch (RuntimeException e) {
                if (!store.reachable()) {
                    storeDownUntil = System.nanoTime() + STORE_RETRY_AFTER_MS * 1_000_000;
                    LOG.warning(
                            "message store unreachable, batches go through the broker: "
                                    + e.getMessage());
                } else {
                    LOG.warning(
                            "the store refused a batch of "
                                    + (roomMessages.size() + directMessages.size())
                                    + ", the broker's persisters will store it message by message: "
                                    + e.getMessage());
                }
            }
        }
        broker.write(roomMessages, directMessages);
    }

    @Override
    public boolean available() {
        return broker.available();
    }
}
