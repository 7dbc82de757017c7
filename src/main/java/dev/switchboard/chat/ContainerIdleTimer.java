package dev.switchboard.chat;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Switches off the WebSocket container's own idle timer; {@code NodeHeartbeat} pings silent
 * sockets and closes those that stop answering.
 * <p>
 * Payara's container (Tyrus) re-arms a per-session idle timer for every frame it reads and every
 * frame it sends, on the server's managed scheduler, whose context capture runs a ServiceLoader
 * scan of every jar on each call: in the profile of a busy node, a third of all CPU. With the
 * timeout at 0 the timer task still runs once per frame (it then finds nothing to do); with any
 * other timeout Tyrus never cancels the previous task, so tasks pile up for the whole timeout and
 * each one closes the session when it fires. So the timer goes to {@link #NEVER}, a scheduler that
 * accepts the task and never runs it: for the whole container when {@link ContainerScheduler} could
 * give it to the container (each session takes the container's at its start), else for each
 * session as it opens. Tyrus keeps both in private fields, hence the reflection; on another
 * container (Undertow on WildFly) only the timeout of 0 applies.
 */
final class ContainerIdleTimer {
    private static final Logger LOG = Logger.getLogger(ContainerIdleTimer.class.getName());
    /** Only Tyrus's sessions ask it for anything (checked in Tyrus 2.1: the idle timer and the unused heartbeat). */
    static final ScheduledExecutorService NEVER = new NeverRuns();
    private static final String TYRUS_SESSION = "org.glassfish.tyrus.core.TyrusSession";
    private static volatile boolean containerSwitchedOff;
    private static volatile boolean warned;

    private ContainerIdleTimer() {
    }

    /** The container's own scheduler is {@link #NEVER}: sessions start with it, nothing to swap. */
    static void containerSwitchedOff() {
        containerSwitchedOff = true;
    }

    static void switchOff(Session session) {
        if (!containerSwitchedOff) swapSessionScheduler(session);
        session.setMaxIdleTimeout(0);
    }

    private static void swapSessionScheduler(Session session) {
        Field field = SessionScheduler.FIELD;
        if (field == null || !field.getDeclaringClass().isInstance(session)) return;
        try {
            field.set(session, NEVER);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "the WebSocket container's idle timer stays on its managed scheduler (slower frames): " + e);
            }
        }
    }

    /** Tyrus's session scheduler field, looked up on the first swap; null on another container or if it cannot be reached. */
    private static final class SessionScheduler {
        static final Field FIELD = ContainerFields.fieldOrNull(TYRUS_SESSION, "service", ScheduledExecutorService.class::isAssignableFrom);
    }

    /** Takes one-shot tasks and drops them; never starts a thread. Only the idle timer uses it. */
    private static final class NeverRuns extends ScheduledThreadPoolExecutor {
        private static final ScheduledFuture<Object> DROPPED = new ScheduledFuture<>() {
            @Override public long getDelay(TimeUnit unit) { return Long.MAX_VALUE; }
            @Override public int compareTo(Delayed other) { return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS)); }
            @Override public boolean cancel(boolean mayInterrupt) { return true; }
            @Override public boolean isCancelled() { return true; }
            @Override public boolean isDone() { return true; }
            @Override public Object get() { return null; }
            @Override public Object get(long timeout, TimeUnit unit) { return null; }
        };

        NeverRuns() {
            super(0);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return DROPPED;
        }
    }
}
