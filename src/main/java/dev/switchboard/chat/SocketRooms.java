package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.node.Counters;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.presence.ReapedNode;
import dev.switchboard.presence.Status;
import dev.switchboard.rooms.RoomMembers;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * A socket's rooms: {@code join} (with its history, see {@link ClientSocket} for the exactly-once
 * cut), {@code leave}, and what goes to the rooms a user is in ({@code typing}, {@code status},
 * {@code member_joined}/{@code member_left}, including those of a dead node's users).
 */
@ApplicationScoped
class SocketRooms {
    @Inject ChatSettings settings;
    @Inject LocalSockets local;
    @Inject RoomMembers members;
    @Inject PresenceStore presence;
    @Inject HistoryService history;
    @Inject HistoryReads reads;
    @Inject Bus bus;
    @Inject Counters counters;

    void join(ClientSocket socket, ClientFrame.Join f, String ref) {
        AuthenticatedUser user = socket.user();
        RoomName room = f.room();
        user.requireRoom(room);
        boolean rejoin = socket.isIn(room);
        // one thread per socket runs its frames, so the count cannot change between check and join
        if (!rejoin && socket.rooms().size() >= settings.maxRooms()) {
            throw new SwitchboardException(
                    ErrorCode.TOO_MANY_ROOMS,
                    "a socket may be in at most " + settings.maxRooms() + " rooms");
        }
        socket.beginJoin(room);
        local.addToRoom(room, socket);
        boolean firstOfUser;
        try {
            firstOfUser = members.join(room, user.id(), socket.id());
        } catch (RuntimeException e) {
            if (!rejoin && socket.leave(room))
                local.removeFromRoom(room, socket); // as before the frame
            throw e;
        }
        if (firstOfUser) {
            bus.publish(
                    Envelope.toRoom(
                            room.value(),
                            ServerFrames.member("member_joined", room, user.id(), user.name()),
                            socket.id()));
        }
        reads.read(
                socket,
                ref,
                () -> {
                    var recent = history.onJoin(room, f.since());
                    long[] included =
                            recent.messages().stream().mapToLong(RoomMessage::seq).toArray();
                    counters.delivered(
                            socket.completeJoin(
                                    room,
                                    ServerFrames.joined(room, members.members(room), recent),
                                    recent.seq(),
                                    included));
                },
                () -> leave(socket, room));
    }

    void leave(ClientSocket socket, RoomName room) {
        removeFromRoom(socket, room, false);
        socket.send(ServerFrames.left(room));
    }

    /**
     * After a token refresh: the rooms the new token leaves out are left, with reason {@code
     * forbidden}.
     */
    void leaveForbidden(ClientSocket socket) {
        AuthenticatedUser user = socket.user();
        for (RoomName room : socket.rooms().toArray(RoomName[]::new)) {
            if (!user.mayJoin(room)) {
                removeFromRoom(socket, room, false);
                socket.send(ServerFrames.left(room, "forbidden"));
            }
        }
    }

    /**
     * @param wentOffline whether the socket's user went offline with it: the room hears {@code
     *     presence} offline first
     */
    void removeFromRoom(ClientSocket socket, RoomName room, boolean wentOffline) {
        if (!socket.leave(room)) return;
        UserId user = socket.user().id();
        local.removeFromRoom(room, socket);
        boolean lastInRoom = members.leave(room, user, socket.id());
        if (wentOffline)
            bus.publish(
                    Envelope.toRoom(
                            room.value(), ServerFrames.presence(room, user, Status.OFFLINE), null));
        if (lastInRoom)
            bus.publish(
                    Envelope.toRoom(
                            room.value(),
                            ServerFrames.member("member_left", room, user, socket.user().name()),
                            null));
    }

    void typing(ClientSocket socket, ClientFrame.Typing f) {
        if (!socket.isIn(f.room()))
            throw new SwitchboardException(
                    ErrorCode.NOT_MEMBER, "join room " + f.room() + " before typing in it");
        requireBus();
        bus.publish(
                Envelope.toRoom(
                        f.room().value(),
                        ServerFrames.typing(f.room(), socket.user().id(), f.active()),
                        socket.id()));
    }

    void status(ClientSocket socket, Status status) {
        requireBus();
        UserId user = socket.user().id();
        presence.setStatus(user, status);
        for (RoomName room : members.roomsOf(user)) {
            bus.publish(
                    Envelope.toRoom(room.value(), ServerFrames.presence(room, user, status), null));
        }
    }

    /**
     * A dead node's users: {@code presence} offline for those who went offline, then {@code
     * member_left}, room by room.
     */
    void tellRooms(@Observes ReapedNode reaped) {
        for (RoomMembers.RoomUser left : reaped.roomsLeft()) {
            String room = left.room().value();
            if (reaped.usersWentOffline().contains(left.user())) {
                bus.publish(
                        Envelope.toRoom(
                                room,
                                ServerFrames.presence(left.room(), left.user(), Status.OFFLINE),
                                null));
            }
            // the dead node took the display name with it; the user id stands in
            bus.publish(
                    Envelope.toRoom(
                            room,
                            ServerFrames.member(
                                    "member_left", left.room(), left.user(), left.user().value()),
                            null));
        }
    }

    /**
     * Frames whose only effect is to reach other nodes need the bus now: they are not kept for
     * later.
     */
    private void requireBus() {
        if (!bus.healthy())
            throw new SwitchboardException(
                    ErrorCode.UNAVAILABLE, "message routing is unavailable; try again", 1000);
    }
}
