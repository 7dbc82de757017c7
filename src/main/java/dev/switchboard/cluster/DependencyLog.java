package dev.switchboard.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One log line when a dependency stops answering and one when it answers again, however many calls
 * fail in between: with Redis or the broker down, every frame fails, and a line (or a stack trace)
 * per frame would bury the log.
 */
public final class DependencyLog {
    private final Logger log;
    private final String dependency;
    private final AtomicBoolean down = new AtomicBoolean();

    public DependencyLog(Logger log, String dependency) {
        this.log = log;
        this.dependency = dependency;
    }

    /** A call failed: logged if it is the first failure since the dependency last answered. */
    public void failed(Exception cause) {
        if (down.compareAndSet(false, true)) {
            log.warning(
                    dependency
                            + " is unavailable ("
                            + cause
                            + "); calls are answered 'unavailable' until it answers again");
        }
    }

    /** A call succeeded; costs one volatile read while the dependency is up. */
    public void answered() {
        if (down.get() && down.compareAndSet(true, false)) log.info(dependency + " answers again");
    }
}
