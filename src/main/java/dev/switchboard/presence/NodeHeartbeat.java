package dev.switchboard.presence;

import dev.switchboard.node.NodeIdentity;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.rooms.RoomMembers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this node registered as alive (a heartbeat every {@code node-timeout / 5}) and reaps the
 * nodes that are not (every second), so a dead node's users go offline within the node timeout.
 * When the registry has forgotten this node (Redis restarted empty), its sockets register again.
 */
@ApplicationScoped
class NodeHeartbeat {
    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class.getName());

    @Inject PresenceStore presence;
    @Inject PresenceSettings settings;
    @Inject RoomMembers members;
    @Inject NodeSockets sockets;
    @Inject NodeIdentity node;
    @Inject WorkerPools pools;
    @Inject Event<ReapedNode> reaped;

    private boolean registered;
    private NodeReaper reaper;

    void start(@Observes Startup startup) {
        reaper = new NodeReaper(presence, members, node.id(), settings.nodeTimeout());
        beat();
        long beatMs = settings.heartbeatEvery().toMillis();
        long reapMs = settings.reapEvery().toMillis();
        pools.timers().scheduleWithFixedDelay(this::beat, beatMs, beatMs, TimeUnit.MILLISECONDS);
        pools.timers()
                .scheduleWithFixedDelay(this::reapDeadNodes, reapMs, reapMs, TimeUnit.MILLISECONDS);
    }

    void beat() {
        try {
            boolean known =
                    presence.heartbeat(
                            node.id(), node.startedAt(), sockets.count(), settings.heartbeatTtl());
            if (!known && registered) {
                LOG.warning(
                        "the presence registry lost node "
                                + node.id()
                                + " (Redis restarted?): registering its "
                                + sockets.count()
                                + " sockets again");
                sockets.registerAgain();
            }
            registered = true;
        } catch (RuntimeException e) {
            LOG.warning("heartbeat of node " + node.id() + " failed: " + e);
        }
    }

    void reapDeadNodes() {
        try {
            for (ReapedNode dead : reaper.reapDeadNodes()) reaped.fire(dead);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reaping dead nodes failed", e);
        }
    }
}
