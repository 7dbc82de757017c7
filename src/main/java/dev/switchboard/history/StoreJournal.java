package dev.switchboard.history;

import dev.switchboard.node.Counters;
import java.util.List;

/**
 * A standalone node's journal is the store itself: one transaction per batch, acked after commit.
 */
public class StoreJournal implements MessageJournal {
    private final MessageStore store;
    private final Counters counters;

    public StoreJournal(MessageStore store, Counters counters) {
        this.store = store;
        this.counters = counters;
    }

    @Override
    public void write(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        store.insert(roomMessages, directMessages);
        counters.persisted(roomMessages.size() + directMessages.size());
    }

    @Override
    public boolean available() {
        return store.reachable();
    }
}
