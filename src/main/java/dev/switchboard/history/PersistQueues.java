package dev.switchboard.history;

import dev.switchboard.cluster.Backoff;
import dev.switchboard.cluster.QuorumQueue;
import dev.switchboard.cluster.Rabbit;
import dev.switchboard.cluster.WorkQueue;
import java.io.IOException;
import java.util.Map;

/**
 * The quorum queues of the cluster's message pipeline, a {@link WorkQueue} on the default exchange:
 *
 * <ul>
 *   <li>{@code switchboard.persist}: every accepted message, persistent, until a persister has
 *       stored it;
 *   <li>{@code switchboard.persist.delay-<ms>ms}: a message whose insert failed waits here for its
 *       backoff (200 ms, 400 ms, 800 ms, ...), then dead-letters back to {@code
 *       switchboard.persist}; header {@code x-tries} counts the tries;
 *   <li>{@code switchboard.persist.dead}: messages that failed every try, kept for inspection and
 *       replay.
 * </ul>
 */
final class PersistQueues {
    static final String PERSIST = "switchboard.persist";
    static final String DEAD = "switchboard.persist.dead";

    /** The wait after a message's first failed insert; doubled for each one after. */
    static final long FIRST_BACKOFF_MS = 200;

    /**
     * The classic retry queue (per-message TTLs) of older versions: it dead-letters into PERSIST by
     * itself.
     */
    private static final String OLD_RETRY = "switchboard.persist.retry";

    private PersistQueues() {}

    /** The retry rule for {@code tries} tries ({@code switchboard.history.persist-tries}). */
    static Backoff backoff(int tries) {
        return new Backoff(FIRST_BACKOFF_MS, tries);
    }

    /**
     * Declares the queues for {@code tries} tries (the last failure goes to the dead-letter queue,
     * not to a delay).
     */
    static WorkQueue declare(Rabbit rabbit, int tries) throws IOException {
        var queues = new WorkQueue(rabbit, PERSIST, DEAD, backoff(tries));
        queues.declare(Map.of());
        QuorumQueue.deleteIfEmpty(rabbit, OLD_RETRY);
        return queues;
    }
}
