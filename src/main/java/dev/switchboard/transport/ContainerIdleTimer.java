package dev.switchboard.transport;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Switches off Tyrus's idle timer for a session; {@code chat.SocketSweeper} pings silent sockets
 * and closes those that stop answering. Tyrus re-arms the timer for every frame read or sent, on
 * Payara's managed scheduler, whose context capture scans every jar for services: a third of a busy
 * node's CPU. At timeout 0 the task still runs once per frame, so the session's scheduler (a plain,
 * non-final field) becomes {@link #NEVER}, which takes tasks and never runs them. The one task
 * Tyrus schedules as it makes the session, before {@code @OnOpen}, stays: only the container's
 * final field could spare it.
 */
final class ContainerIdleTimer {
    /**
     * Only Tyrus's sessions ask it for anything (checked in Tyrus 2.1: the idle timer and the
     * unused heartbeat).
     */
    static final ScheduledExecutorService NEVER = new NeverRuns();

    private ContainerIdleTimer() {}

    /**
     * @param sessionScheduler TyrusSession.service, writable
     */
    static void switchOff(Session session, Field sessionScheduler) throws IllegalAccessException {
        if (sessionScheduler.getDeclaringClass().isInstance(session))
            sessionScheduler.set(session, NEVER);
        session.setMaxIdleTimeout(0);
    }

    /** Takes one-shot tasks and drops them; never starts a thread. Only the idle timer uses it. */
    private static final class NeverRuns extends ScheduledThreadPoolExecutor {
        private static final ScheduledFuture<Object> DROPPED =
                new ScheduledFuture<>() {
                    @Override
                    public long getDelay(TimeUnit unit) {
                        return Long.MAX_VALUE;
                    }

                    @Override
                    public int compareTo(Delayed other) {
                        return Long.compare(
                                getDelay(TimeUnit.NANOSECONDS),
                                other.getDelay(TimeUnit.NANOSECONDS));
                    }

                    @Override
                    public boolean cancel(boolean mayInterrupt) {
                        return true;
                    }

                    @Override
                    public boolean isCancelled() {
                        return true;
                    }

                    @Override
                    public boolean isDone() {
                        return true;
                    }

                    @Override
                    public Object get() {
                        return null;
                    }

                    @Override
                    public Object get(long timeout, TimeUnit unit) {
                        return null;
                    }
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
