package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Bounded polling for state that announces no event: an HTTP endpoint, rows in PostgreSQL, an open
 * port. A frame is waited for with {@link WsClient#await}, never polled for.
 */
final class Poll {
    /** One look at the state; it may throw while what it asks is stopped or restarting. */
    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    private Poll() {}

    /**
     * Probes, pausing {@code every} in between, until {@code done} accepts a value, and returns
     * that value. After {@code timeout} it fails with {@code failure} applied to the last value a
     * probe returned, or to null if none returned one.
     *
     * <p>A probe that throws an exception counts as "not yet": the service it asks may be on its
     * way back. If the last probe threw, its exception is the failure's cause. An {@link
     * AssertionError} from a probe fails at once: the probe found something wrong, not something
     * unfinished.
     */
    static <T> T until(
            Duration timeout,
            Duration every,
            Probe<T> probe,
            Predicate<? super T> done,
            Function<? super T, String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            Exception thrown = null;
            try {
                last = probe.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while polling", e);
            } catch (Exception e) {
                thrown = e;
            }
            if (thrown == null && done.test(last)) return last;
            if (System.nanoTime() > deadline) fail(failure.apply(last), thrown);
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while polling", e);
            }
        }
    }
}
