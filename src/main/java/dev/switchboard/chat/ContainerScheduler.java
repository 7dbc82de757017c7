package dev.switchboard.chat;

import dev.switchboard.ops.WorkerPools;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives Payara's WebSocket container (Tyrus) the application's timer pool in place of the server's
 * managed scheduler. Tyrus schedules an idle-timeout task for every new session, before the
 * endpoint can switch the timer off (see {@link ContainerIdleTimer}), and each task given to the
 * managed scheduler captures the caller's context, which scans every jar of the application for
 * service files: in a profile of 10,000 sockets connecting, 15 % of the node's CPU. The pool's
 * threads are managed threads already, so a task needs nothing captured; the idle task finds the
 * timeout off and does nothing. The field is private and final, hence the reflection; on another
 * container nothing changes.
 */
@WebListener
public class ContainerScheduler implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(ContainerScheduler.class.getName());
    private static final String TYRUS_CONTAINER = "org.glassfish.tyrus.core.BaseContainer";

    @Inject WorkerPools pools;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null) return;
        try {
            Field scheduler = ContainerFields.field(TYRUS_CONTAINER, "managedScheduledExecutorService");
            if (scheduler.getDeclaringClass().isInstance(container)) scheduler.set(container, pools.timers());
        } catch (ClassNotFoundException notTyrus) {
            // another container: it keeps its own scheduler
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "the WebSocket container keeps the managed scheduler (slower connects): " + e);
        }
    }
}
