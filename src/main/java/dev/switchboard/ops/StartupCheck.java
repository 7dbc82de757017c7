package dev.switchboard.ops;

import dev.switchboard.auth.AuthSettings;
import dev.switchboard.cluster.ClusterConnections;
import dev.switchboard.cluster.ClusterSettings;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.RoomMembers;
import dev.switchboard.routing.Bus;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fails fast: before anything else starts, every setting is checked and every configured dependency
 * connected. A misconfigured node logs one line naming the setting and exits, rather than staying
 * up without its application (a server would otherwise keep running and answer 404).
 */
@ApplicationScoped
public class StartupCheck {
    private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

    @Inject
    @ConfigProperty(name = "switchboard.exit-on-startup-failure", defaultValue = "true")
    boolean exitOnFailure;

    @Inject ClusterSettings cluster;
    @Inject AuthSettings auth;
    @Inject ClusterConnections connections;
    @Inject Bus bus;
    @Inject PresenceStore presence;
    @Inject RoomMembers members;

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 100) Startup startup) {
        try {
            cluster.clustered();
            auth.devTokens();
            connections.redis();
            // touching the proxies builds the adapters, which connect
            bus.healthy();
            presence.onlineUsers();
            members.roomCount();
        } catch (RuntimeException e) {
            String reason = rootMessage(e);
            LOG.severe("Switchboard cannot start: " + reason);
            if (exitOnFailure) {
                // exit from another thread: the deploying thread holds locks the shutdown hooks
                // need
                new Thread(() -> System.exit(3), "switchboard-startup-failure").start();
            }
            throw new IllegalStateException(reason, e);
        }
    }

    /**
     * Our own messages name the setting; CDI wraps them, and their causes say less: take the first
     * that names one.
     */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("switchboard."))
                return t.getMessage();
            root = t;
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
