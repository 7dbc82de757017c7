package dev.switchboard.history;

import dev.switchboard.SwitchboardException;

/** What the writer calls, on its own thread and in commit order, once a message is stored or has failed. */
public interface WriteCallback<T> {
    void stored(T message);

    void failed(SwitchboardException reason);
}
