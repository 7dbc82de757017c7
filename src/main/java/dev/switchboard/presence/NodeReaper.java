package dev.switchboard.presence;

import dev.switchboard.UserId;
import dev.switchboard.rooms.RoomMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Removes the sockets of nodes whose heartbeat expired, presence and room memberships both. One
 * node reaps at a time (the store's reaping lock), so each dead node's users are reported offline
 * once.
 */
class NodeReaper {
    private static final Logger LOG = Logger.getLogger(NodeReaper.class.getName());

    private final PresenceStore presence;
    private final RoomMembers members;
    private final String self;
    private final Duration lockFor;

    NodeReaper(PresenceStore presence, RoomMembers members, String self, Duration lockFor) {
        this.presence = presence;
        this.members = members;
        this.self = self;
        this.lockFor = lockFor;
    }

    /**
     * @return the nodes reaped now; none when no node is dead or another node holds the lock
     */
    List<ReapedNode> reapDeadNodes() {
        List<String> dead = presence.deadNodes();
        if (dead.isEmpty() || !presence.tryLockReaping(self, lockFor)) return List.of();
        try {
            List<ReapedNode> reaped = new ArrayList<>(dead.size());
            for (String node : dead) reaped.add(reap(node));
            return reaped;
        } finally {
            presence.unlockReaping(self);
        }
    }

    private ReapedNode reap(String deadNode) {
        List<RoomMembers.RoomUser> lastLeft = members.reapNode(deadNode);
        Set<UserId> offline = presence.reapNode(deadNode);
        LOG.info(
                "node "
                        + deadNode
                        + " stopped heartbeating: "
                        + offline.size()
                        + " users offline, "
                        + lastLeft.size()
                        + " room memberships ended");
        return new ReapedNode(deadNode, offline, lastLeft);
    }
}
