package dev.switchboard.presence;

import dev.switchboard.UserId;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Presence of one node: one lock, because first/last decisions must be atomic with the change. */
public class InMemoryPresenceStore implements PresenceStore {
    private final Map<UserId, Set<String>> sockets = new HashMap<>();
    private final Map<UserId, Status> statuses = new HashMap<>();

    @Override
    public synchronized boolean connect(UserId user, String socketId) {
        Set<String> own = sockets.computeIfAbsent(user, u -> new HashSet<>());
        boolean first = own.isEmpty();
        own.add(socketId);
        if (first) statuses.put(user, Status.ONLINE);
        return first;
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
}
