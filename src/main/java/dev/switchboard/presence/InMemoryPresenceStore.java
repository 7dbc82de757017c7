package dev.switchboard.presence;

import dev.switchboard.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence of one node: one lock, because first/last decisions must be atomic with the change. A
 * standalone node is the whole deployment, so no node is ever dead here.
 */
public class InMemoryPresenceStore implements PresenceStore {
    private final Map<UserId, Set<String>> sockets = new HashMap<>();
    private final Map<UserId, Status> statuses = new HashMap<>();
    private NodeInfo self;

    @Override
    public synchronized int connect(UserId user, String socketId) {
        Set<String> own = sockets.computeIfAbsent(user, u -> new HashSet<>());
        if (own.isEmpty()) statuses.put(user, Status.ONLINE);
        own.add(socketId);
        return own.size();
    }

    @Override
    public synchronized int sockets(UserId user) {
        Set<String> own = sockets.get(user);
        return own == null ? 0 : own.size();
    }

    @Override
    public synchronized boolean disconnect(UserId user, String socketId) {
        Set<String> own = sockets.get(user);
        if (own == null || !own.remove(socketId) || !own.isEmpty()) return false;
        sockets.remove(user);
        statuses.remove(user);
        return true;
    }

    @Override
    public synchronized void setStatus(UserId user, Status status) {
        if (sockets.containsKey(user)) statuses.put(user, status);
    }

    @Override
    public synchronized Status status(UserId user) {
        return statuses.getOrDefault(user, Status.OFFLINE);
    }

    @Override
    public synchronized int onlineUsers() {
        return sockets.size();
    }

    @Override
    public synchronized boolean heartbeat(
            String nodeId, Instant startedAt, int connections, Duration ttl) {
        boolean known = self != null;
        self = new NodeInfo(nodeId, connections, startedAt);
        return known;
    }

    @Override
    public synchronized List<NodeInfo> liveNodes() {
        return self == null ? List.of() : List.of(self);
    }

    @Override
    public List<String> deadNodes() {
        return List.of();
    }

    @Override
    public boolean tryLockReaping(String owner, Duration ttl) {
        return true;
    }

    @Override
    public void unlockReaping(String owner) {}

    @Override
    public Set<UserId> reapNode(String nodeId) {
        return Set.of();
    }
}
