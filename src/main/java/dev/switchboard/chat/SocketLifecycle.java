package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.auth.InvalidTokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.node.Lifecycle;
import dev.switchboard.node.NodeIdentity;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.presence.NodeSockets;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.RoomMembers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A socket from open to close: registered with its user's presence (the per-user socket limit is
 * kept there), closed when its token expires unless refreshed, cleaned up after it closes, and
 * closed with 1001 when the node stops. Registered again when the presence registry forgot this
 * node.
 */
@ApplicationScoped
class SocketLifecycle implements NodeSockets {
    @Inject ChatSettings settings;
    @Inject TokenVerifier tokens;
    @Inject LocalSockets local;
    @Inject PresenceStore presence;
    @Inject RoomMembers members;
    @Inject SocketRooms rooms;
    @Inject NodeIdentity node;
    @Inject WorkerPools pools;
    @Inject Lifecycle lifecycle;

    Clock clock = Clock.systemUTC();

    /**
     * Registers an authenticated socket and queues its {@code welcome}. Nothing is sent until the
     * caller calls {@link ClientSocket#startSending()}, so the container can finish opening the
     * connection before the client hears of it (see {@code ChatEndpoint}).
     */
    ClientSocket open(
            String socketId, AuthenticatedUser user, OutboundQueue.Sink sink, SocketCloser closer) {
        var outbound =
                new OutboundQueue(
                        settings.maxBacklog(),
                        sink,
                        () ->
                                closer.close(
                                        CloseCodes.TRY_AGAIN_LATER,
                                        "slow consumer: outbound backlog over "
                                                + settings.maxBacklog()));
        outbound.hold();
        var socket = new ClientSocket(socketId, user, outbound, closer);
        try {
            local.add(socket);
            // Counted and refused in one step with the add, on every node alike, so two nodes
            // cannot both let a user's 21st socket in; a refused socket was never the first, and
            // has no rooms.
            if (presence.connect(user.id(), socketId) > settings.maxSocketsPerUser()) {
                throw new SwitchboardException(
                        ErrorCode.TOO_MANY_SOCKETS,
                        "more than " + settings.maxSocketsPerUser() + " sockets of one user");
            }
            socket.send(ServerFrames.welcome(user.id(), user.name(), node.id(), socketId));
            scheduleExpiry(socket, closer);
            return socket;
        } catch (RuntimeException e) {
            // the caller gets no socket to release: a half-opened one left here would count the
            // user online for good
            socket.close();
            undo(e, () -> local.remove(socket));
            undo(e, () -> disconnectQuietly(user.id(), socketId));
            throw e;
        }
    }

    private static void undo(RuntimeException failure, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        }
    }

    /**
     * PROTOCOL.md section 4: a refused token closes the socket with 1008, as at the handshake; a
     * token for another user is an error and changes nothing; rooms the new token leaves out are
     * left.
     */
    void refresh(ClientSocket socket, String token, SocketCloser closer) {
        AuthenticatedUser next;
        try {
            next = tokens.verify(token);
        } catch (InvalidTokenException e) {
            closer.close(CloseCodes.VIOLATED_POLICY, "refresh token refused: " + e.getMessage());
            return;
        }
        if (!next.id().equals(socket.user().id()))
            throw new SwitchboardException(
                    ErrorCode.FORBIDDEN, "refresh token is for another user");
        socket.user(next);
        scheduleExpiry(socket, closer);
        rooms.leaveForbidden(socket);
    }

    /**
     * Cleans up after a socket has closed, for whatever reason. The local part always completes;
     * with Redis down, the cluster's entries of this socket stay until this node is reaped or
     * restarts.
     */
    void closed(ClientSocket socket) {
        socket.close();
        UserId user = socket.user().id();
        local.remove(socket);
        boolean wentOffline = disconnectQuietly(user, socket.id());
        for (RoomName room : socket.rooms().toArray(RoomName[]::new)) {
            try {
                rooms.removeFromRoom(socket, room, wentOffline);
            } catch (SwitchboardException e) {
                // unavailable (logged in Redis.call): the local part is done, go on with the next
                // room
            }
        }
    }

    /**
     * @return whether the user went offline; false when the presence store could not be reached
     *     (logged there)
     */
    private boolean disconnectQuietly(UserId user, String socketId) {
        try {
            return presence.disconnect(user, socketId);
        } catch (SwitchboardException e) {
            return false;
        }
    }

    /**
     * Node shutting down: every socket is closed with 1001 so clients reconnect elsewhere, and the
     * node waits (bounded) for the closes to finish before the server stops. On SIGTERM the node
     * has already reported not ready for a while ({@code ops.GracefulStop}); on any other stop it
     * drains here.
     */
    void closeAllOnShutdown(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        lifecycle.drain();
        for (ClientSocket socket : local.all())
            socket.disconnect(CloseCodes.GOING_AWAY, "node shutting down");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (local.count() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public int count() {
        return local.count();
    }

    @Override
    public void registerAgain() {
        for (ClientSocket socket : local.all()) {
            UserId user = socket.user().id();
            presence.connect(user, socket.id());
            for (RoomName room : socket.rooms()) members.join(room, user, socket.id());
        }
    }

    private void scheduleExpiry(ClientSocket socket, SocketCloser closer) {
        long delay = millisUntil(socket.user().expiresAt());
        socket.expiry(
                pools.timers()
                        .schedule(
                                () -> closer.close(CloseCodes.VIOLATED_POLICY, "token expired"),
                                delay,
                                TimeUnit.MILLISECONDS));
    }

    /**
     * At least 0 and at most Long.MAX_VALUE (292 million years, past which the timer waits
     * forever): Duration.toMillis threw for an exp of 10^16 s, after the socket was registered.
     */
    private long millisUntil(Instant at) {
        Duration left = Duration.between(clock.instant(), at);
        if (left.isNegative()) return 0;
        return left.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0
                ? Long.MAX_VALUE
                : left.toMillis();
    }
}
