package dev.switchboard.chat;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import dev.switchboard.node.NodeIdentity;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.presence.PresenceSettings;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.presence.Status;
import dev.switchboard.rooms.RoomMembers;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this node registered as alive and cleans up after nodes that are not.
 * <ul>
 * <li>Heartbeat every {@code node-timeout / 5}. When the registry has forgotten this node (Redis
 * restarted empty), the node registers its sockets' presence and memberships again.</li>
 * <li>Every second, sockets whose clients stopped reading are closed with 1013; a socket silent for
 * 30 s is pinged (again every 30 s while it stays silent), and one that answered nothing for 2
 * minutes is closed with 1001: its client is gone without a close. A client that only listens
 * stays connected as long as it answers pings, as browsers and WebSocket libraries do.</li>
 * <li>Every second, a node holding the reaping lock removes the sockets of nodes whose heartbeat
 * expired and tells their rooms: {@code presence} offline for users who went offline, then
 * {@code member_left} for users who lost their last socket in a room — within the node timeout.</li>
 * </ul>
 */
@ApplicationScoped
class NodeHeartbeat {
    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class.getName());

    @Inject PresenceStore presence;
    @Inject PresenceSettings settings;
    @Inject RoomMembers members;
    @Inject LocalSockets local;
    @Inject Bus bus;
    @Inject NodeIdentity node;
    @Inject WorkerPools pools;

    /** Silence after which a socket is pinged (and pinged again as long as it stays silent). */
    static final java.time.Duration KEEP_ALIVE_AFTER = java.time.Duration.ofSeconds(30);
    /**
     * Silence after which a socket is closed: its client answered none of the keep-alive pings, so
     * it is gone without a close (cable pulled). The container's own idle timer is off (see
     * ContainerIdleTimer).
     */
    static final java.time.Duration DEAD_AFTER = java.time.Duration.ofMinutes(2);

    private boolean registered;

    void start(@Observes Startup startup) {
        beat();
        pools.timers().scheduleWithFixedDelay(this::beat, settings.heartbeatEvery().toMillis(), settings.heartbeatEvery().toMillis(), TimeUnit.MILLISECONDS);
        pools.timers().scheduleWithFixedDelay(this::reapDeadNodes, settings.reapEvery().toMillis(), settings.reapEvery().toMillis(), TimeUnit.MILLISECONDS);
        pools.timers().scheduleWithFixedDelay(this::closeStalledSockets, 1, 1, TimeUnit.SECONDS);
    }

    void beat() {
        try {
            boolean known = presence.heartbeat(node.id(), node.startedAt(), local.count(), settings.heartbeatTtl());
            if (!known && registered) {
                LOG.warning("the presence registry lost node " + node.id() + " (Redis restarted?): registering its " + local.count() + " sockets again");
                registerLocalSockets();
            }
            registered = true;
        } catch (RuntimeException e) {
            LOG.warning("heartbeat of node " + node.id() + " failed: " + e);
        }
    }

    private void registerLocalSockets() {
        for (ClientSocket socket : local.all()) {
            UserId user = socket.user().id();
            presence.connect(user, socket.id());
            for (RoomName room : socket.rooms()) members.join(room, user, socket.id());
        }
    }

    /** A client that stopped reading after its last frame was queued gets no offer to trip over: check each second. */
    void closeStalledSockets() {
        for (ClientSocket socket : local.all()) {
            socket.checkStalled();
            if (socket.silentNanos() > DEAD_AFTER.toNanos()) {
                socket.disconnect(CloseCodes.GOING_AWAY, "no answer to pings for " + DEAD_AFTER.toMinutes() + " min");
            } else {
                socket.keepAliveIfSilent(KEEP_ALIVE_AFTER.toNanos());
            }
        }
    }

    void reapDeadNodes() {
        try {
            List<String> dead = presence.deadNodes();
            if (dead.isEmpty() || !presence.tryLockReaping(node.id(), settings.nodeTimeout())) return;
            try {
                for (String deadNode : dead) reap(deadNode);
            } finally {
                presence.unlockReaping(node.id());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reaping dead nodes failed", e);
        }
    }

    private void reap(String deadNode) {
        List<RoomMembers.RoomUser> lastLeft = members.reapNode(deadNode);
        Set<UserId> offline = presence.reapNode(deadNode);
        LOG.info("node " + deadNode + " stopped heartbeating: " + offline.size() + " users offline, " + lastLeft.size() + " room memberships ended");
        for (RoomMembers.RoomUser left : lastLeft) {
            String room = left.room().value();
            if (offline.contains(left.user())) {
                bus.publish(Envelope.toRoom(room, ServerFrames.presence(left.room(), left.user(), Status.OFFLINE), null));
            }
            // the dead node took the display name with it; the user id stands in
            bus.publish(Envelope.toRoom(room, ServerFrames.member("member_left", left.room(), left.user(), left.user().value()), null));
        }
    }
}
