package dev.switchboard.chat;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Payara's WebSocket container (Tyrus) re-arms a per-session idle timer for every frame it reads
 * and every frame it sends, on the server's managed scheduler, whose context capture runs a
 * ServiceLoader scan of every jar on each call: in the profile of a busy node that was a third
 * of all CPU. Each session's timer goes to a plain scheduler of the application's instead (its
 * cancelled timers are removed at once), with a timeout long enough never to fire: NodeHeartbeat
 * closes idle sockets. Tyrus keeps that scheduler in a private field, hence the reflection; on a
 * container without it (Undertow on WildFly) nothing changes but the timeout.
 */
final class ContainerIdleTimer {
    private static final Logger LOG = Logger.getLogger(ContainerIdleTimer.class.getName());
    /** A backstop only: the container closes a session silent for this long. */
    static final long TIMEOUT_MS = Duration.ofHours(1).toMillis();
    private static volatile boolean warned;

    private ContainerIdleTimer() {
    }

    static void install(Session session, ScheduledExecutorService timers) {
        Field field = schedulerField(session.getClass());
        if (field != null) {
            try {
                field.setAccessible(true);
                field.set(session, timers);
            } catch (ReflectiveOperationException | RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.log(Level.WARNING, "the WebSocket container's idle timer stays on its managed scheduler (slower sends): " + e);
                }
            }
        }
        session.setMaxIdleTimeout(TIMEOUT_MS);   // re-arms the timer, now on the application's scheduler
    }

    private static Field schedulerField(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!c.getName().equals("org.glassfish.tyrus.core.TyrusSession")) continue;
            try {
                Field field = c.getDeclaredField("service");
                return ScheduledExecutorService.class.isAssignableFrom(field.getType()) ? field : null;
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
        return null;
    }
}
