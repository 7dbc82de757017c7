package dev.switchboard.history;

/**
 * Port: the step after the writer (chat implements it: remember, publish, deliver, ack). It gets
 * each batch once, on the writer's reporting thread, in batch order. An interface so that history
 * hands batches on without knowing chat: the dependency goes chat to history only.
 */
public interface BatchFanOut {
    void fanOut(StoredBatch batch);
}
