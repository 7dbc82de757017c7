package dev.switchboard.node;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread pool of the application, made in one place from the server's managed thread factory
 * (so JPA, transactions and CDI work on them) and bounded:
 *
 * <ul>
 *   <li>{@code reads}: history reads for {@code joined} and {@code history}, off the socket
 *       threads. 4 threads, 10,000 queued; a full queue refuses the read ({@code
 *       RejectedExecutionException}), which the caller answers with {@code unavailable}.
 *   <li>{@code timers}: token expiry and socket closes. A close may wait on a slow peer's close
 *       handshake, so it never runs on a thread that delivers frames.
 * </ul>
 */
@ApplicationScoped
public class WorkerPools {
    @Resource ManagedThreadFactory managedThreads;

    private ExecutorService reads;
    private ScheduledExecutorService timers;

    @PostConstruct
    void start() {
        reads =
                new ThreadPoolExecutor(
                        4,
                        4,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(10_000),
                        named("switchboard-reads"));
        var scheduled = new ScheduledThreadPoolExecutor(2, named("switchboard-timers"));
        scheduled.setRemoveOnCancelPolicy(
                true); // expiry timers are cancelled on every refresh and close
        timers = scheduled;
    }

    public ExecutorService reads() {
        return reads;
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    /**
     * A feature's own pool of {@code threads} managed threads, all started now. They must be: a
     * managed thread takes the application context of the thread that creates it, and a pool that
     * made its threads later, on a thread of a client library (the RabbitMQ consumer's, say), would
     * get threads Payara refuses to run. Unbounded queue: callers bound their own work.
     */
    public ScheduledExecutorService startedPool(String prefix, int threads) {
        var pool = new ScheduledThreadPoolExecutor(threads, named(prefix));
        pool.prestartAllCoreThreads();
        return pool;
    }

    /**
     * Managed threads named {@code prefix-N}, for a feature's own bounded pool or loop (JPA and
     * transactions work on them).
     */
    public ThreadFactory named(String prefix) {
        var n = new AtomicInteger();
        return runnable -> {
            Thread t = managedThreads.newThread(runnable);
            t.setName(prefix + "-" + n.incrementAndGet());
            return t;
        };
    }

    @PreDestroy
    void stop() {
        reads.shutdown();
        timers.shutdownNow();
    }
}
