package dev.switchboard.node;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's message figures, for {@code /stats} and {@code /metrics}. The counts are LongAdders
 * (every socket thread bumps them) that the metrics read at scrape time; the two distributions are
 * Micrometer histograms with Prometheus buckets.
 */
@ApplicationScoped
public class Counters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder persisted = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder batches = new LongAdder();

    @Inject MeterRegistry registry;
    private Timer deliveryLatency;
    private DistributionSummary persistBatchSize;

    @PostConstruct
    void register() {
        count(
                "switchboard.messages.accepted",
                "chat messages accepted (stored or durably queued) by this node",
                accepted);
        count("switchboard.messages.delivered", "frames handed to this node's sockets", delivered);
        count(
                "switchboard.messages.persisted",
                "chat messages this node wrote to the database",
                persisted);
        count(
                "switchboard.rate.limited",
                "sends and orders refused by a rate limit on this node",
                rateLimited);
        deliveryLatency =
                Timer.builder("switchboard.delivery.latency")
                        .description(
                                "from a message's acceptance to its hand-over to this node's sockets")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry);
        persistBatchSize =
                DistributionSummary.builder("switchboard.persist.batch.size")
                        .description(
                                "messages per database transaction of the group-commit writer or a persister")
                        .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
                        .register(registry);
    }

    /**
     * Created at start, so its meters are on {@code /metrics} before the first message, not after.
     */
    void createdAtStart(@Observes Startup startup) {}

    private void count(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum)
                .description(description)
                .register(registry);
    }

    public void accepted() {
        accepted.increment();
    }

    public void delivered(int frames) {
        delivered.add(frames);
    }

    public void deliveryLatency(long millis) {
        deliveryLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** One committed batch of the group-commit writer or a persister. */
    public void persisted(int messages) {
        persisted.add(messages);
        batches.increment();
        persistBatchSize.record(messages);
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public long acceptedCount() {
        return accepted.sum();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    public long persistedCount() {
        return persisted.sum();
    }

    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    public long batchCount() {
        return batches.sum();
    }
}
