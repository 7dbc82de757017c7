package dev.switchboard.ops;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.LongAdder;

/** This node's message counters for {@code /stats}: LongAdders, because every socket thread bumps them. */
@ApplicationScoped
public class Counters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder persisted = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder batches = new LongAdder();

    public void accepted() { accepted.increment(); }

    public void delivered(int frames) { delivered.add(frames); }

    /** One committed batch of the group-commit writer. */
    public void persisted(int messages) {
        persisted.add(messages);
        batches.increment();
    }

    public void rateLimited() { rateLimited.increment(); }

    public long acceptedCount() { return accepted.sum(); }

    public long deliveredCount() { return delivered.sum(); }

    public long persistedCount() { return persisted.sum(); }

    public long rateLimitedCount() { return rateLimited.sum(); }

    public long batchCount() { return batches.sum(); }
}
