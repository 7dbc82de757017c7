package dev.switchboard.chat;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives Payara's WebSocket container (Tyrus) a scheduler that drops what it is given
 * ({@link ContainerIdleTimer#NEVER}) in place of the server's managed scheduler. The container's
 * only use of it is each session's idle timer, which Switchboard does not use: it schedules a task
 * for every new session, in the session's constructor, before the endpoint can switch the timer
 * off, and each task given to the managed scheduler captured the caller's context with a
 * ServiceLoader scan of every jar (15 % of a node's CPU while 10,000 sockets connected). Each
 * session takes the container's scheduler as it starts, so none needs its own swapped afterwards.
 * The field is private and final, hence the reflection; on another container nothing changes.
 */
@WebListener
public class ContainerScheduler implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(ContainerScheduler.class.getName());
    private static final String TYRUS_CONTAINER = "org.glassfish.tyrus.core.BaseContainer";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null) return;
        try {
            Field scheduler = ContainerFields.field(TYRUS_CONTAINER, "managedScheduledExecutorService");
            if (!scheduler.getDeclaringClass().isInstance(container)) return;
            scheduler.set(container, ContainerIdleTimer.NEVER);
            ContainerIdleTimer.containerSwitchedOff();
        } catch (ClassNotFoundException notTyrus) {
            // another container: it keeps its own scheduler
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "the WebSocket container keeps the managed scheduler (each session's timer is switched off as it opens): " + e);
        }
    }
}
