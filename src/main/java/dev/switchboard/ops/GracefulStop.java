package dev.switchboard.ops;

import dev.switchboard.node.Lifecycle;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM in the order a load balancer needs: {@code /health/ready} goes DOWN and new sockets are
 * refused for {@code switchboard.shutdown.ready-delay} while open sockets are served; then the
 * server stops (sockets closed with 1001, the writer's queue stored). A signal handler, not a CDI
 * observer: Payara Micro's shutdown hook takes the application out of service before any
 * {@code @BeforeDestroyed} observer runs (measured on 6.2025.10), so readiness must change first. A
 * second SIGTERM stops at once; under {@code -Xrs} the node stops without the readiness window.
 */
@ApplicationScoped
public class GracefulStop {
    private static final Logger LOG = Logger.getLogger(GracefulStop.class.getName());
    private static final Signal TERM = new Signal("TERM");

    @Inject Lifecycle lifecycle;
    @Inject ShutdownSettings settings;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopNow = new CountDownLatch(1);
    private SignalHandler previous;

    /**
     * The application's class loader: the JVM's signal thread has none, and the CDI proxies need
     * it.
     */
    private ClassLoader application;

    void install(@Observes Startup startup) {
        application = Thread.currentThread().getContextClassLoader();
        try {
            previous = Signal.handle(TERM, this::terminated);
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warning(
                    "SIGTERM cannot be taken ("
                            + e
                            + "): a stop closes sockets at once, without reporting not ready first");
        }
    }

    /**
     * Runs on a thread the JVM starts for each signal; {@code System.exit} runs the server's own
     * stop.
     */
    private void terminated(Signal signal) {
        if (!stopping.compareAndSet(false, true)) {
            stopNow.countDown();
            return;
        }
        try {
            Thread.currentThread().setContextClassLoader(application);
            lifecycle.drain();
            long delayMs = settings.readyDelay().toMillis();
            LOG.info(
                    "SIGTERM: reporting not ready and refusing new sockets; stopping in "
                            + delayMs
                            + " ms");
            stopNow.await(delayMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warning("SIGTERM: stopping without the readiness window: " + e);
        } finally {
            // what the JVM's own SIGTERM handling exits with (143)
            System.exit(128 + signal.getNumber());
        }
    }

    /**
     * Hands the signal back, so a stop that is not a SIGTERM (an undeploy) leaves no handler of a
     * dead application.
     */
    @PreDestroy
    void uninstall() {
        if (previous != null && !stopping.get()) Signal.handle(TERM, previous);
    }
}
