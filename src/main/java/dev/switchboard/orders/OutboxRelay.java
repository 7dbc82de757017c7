package dev.switchboard.orders;

import dev.switchboard.node.WorkerPools;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Publishes the outbox: woken right after a change commits, and every second anyway, so events of a
 * node that died before publishing them are sent by the survivors. Failures (broker or database
 * down) leave the rows in place and are retried with backoff.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    private static final int BATCH = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    @Inject OrderStore store;
    @Inject OrderEvents events;
    @Inject WorkerPools pools;

    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    void start() {
        running = true;
        thread = pools.named("switchboard-outbox").newThread(this::loop);
        thread.start();
    }

    /** A change was committed: publish its event now rather than at the next tick. */
    public void wakeUp() {
        wakeUp.release();
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0) TimeUnit.MILLISECONDS.sleep(backoff);
                else wakeUp.tryAcquire(1, TimeUnit.SECONDS);
                wakeUp.drainPermits();
                while (running && store.relay(BATCH, events::publish) == BATCH) {
                    // a full batch: more are waiting
                }
                backoff = 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                backoff = Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
                LOG.warning(
                        "order events wait in the outbox (retry in "
                                + backoff
                                + " ms): "
                                + e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
