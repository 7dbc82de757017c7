package dev.switchboard.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The loop of a batching thread (the writer, the persister): wait for one item, take whatever else
 * is waiting up to a batch, hand the batch over; after a stop, go on until the queue is empty. A
 * batch that throws is logged and dropped from the loop, never ends it.
 */
final class BatchLoop<T> implements Runnable {
    interface Work<T> {
        void handle(List<T> batch) throws InterruptedException;
    }

    private static final Logger LOG = Logger.getLogger(BatchLoop.class.getName());

    private final BlockingQueue<T> queue;
    private final int maxBatch;
    private final BooleanSupplier running;
    private final Work<T> work;
    private final String name;

    BatchLoop(
            String name,
            BlockingQueue<T> queue,
            int maxBatch,
            BooleanSupplier running,
            Work<T> work) {
        this.name = name;
        this.queue = queue;
        this.maxBatch = maxBatch;
        this.running = running;
        this.work = work;
    }

    @Override
    public void run() {
        List<T> batch = new ArrayList<>(maxBatch);
        while (running.getAsBoolean() || !queue.isEmpty()) {
            try {
                T first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                work.handle(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, name + " failed on a batch of " + batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }
}
