package dev.switchboard.history;

import dev.switchboard.node.Counters;

import java.util.List;
import java.util.logging.Logger;

/**
 * The cluster's default journal: a batch is committed in PostgreSQL directly while PostgreSQL
 * answers, so its ack means stored as on a standalone node, and goes to the {@link BrokerJournal}
 * otherwise, where the broker holds it until a {@link Persister} stores it. Both are durable, so
 * either may precede an ack; the direct commit spares each message two broker hops and a parse.
 * <ul>
 * <li>The database unreachable (or slower than {@value #STORE_TIMEOUT_SECONDS} s): this batch and
 * those of the next {@value #STORE_RETRY_AFTER_MS} ms go to the broker, then the database is tried again.</li>
 * <li>The database answers but refuses the batch (a message it cannot store): the batch goes to the
 * broker, whose persisters try each message alone, retry it, and dead-letter the bad one.</li>
 * <li>The broker unreachable: the batch is refused even if the database would take it, so a send is
 * answered {@code unavailable} rather than acked and never routed to the other nodes.</li>
 * </ul>
 * A batch that reached the database and also the broker (a commit whose answer was lost) is stored
 * once: the persisters insert by id and ignore duplicates.
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
        if (!broker.available()) throw new IllegalStateException("the broker is unreachable: other nodes could not receive the batch");
        if (System.nanoTime() - storeDownUntil >= 0) {
            try {
                store.insertIgnoringDuplicates(roomMessages, directMessages, STORE_TIMEOUT_SECONDS);
                counters.persisted(roomMessages.size() + directMessages.size());
                return;
            } catch (RuntimeException e) {
                if (!store.reachable()) {
                    storeDownUntil = System.nanoTime() + STORE_RETRY_AFTER_MS * 1_000_000;
                    LOG.warning("message store unreachable, batches go through the broker: " + e.getMessage());
                } else {
                    LOG.warning("the store refused a batch of " + (roomMessages.size() + directMessages.size())
                            + ", the broker's persisters will store it message by message: " + e.getMessage());
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
