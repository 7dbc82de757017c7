package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.QuietLog;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.auth.InvalidTokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.history.DirectMessage;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.MessageWriter;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.history.WriteCallback;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.node.Counters;
import dev.switchboard.node.Lifecycle;
import dev.switchboard.node.NodeIdentity;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.presence.Status;
import dev.switchboard.rooms.RoomMembers;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The contract's rules for one socket's frames. Runs on the socket's thread up to the point where
 * work would wait (the store, a history read); that work goes to the writer or the read pool, and
 * answers come back through the socket's outbound queue.
 */
@ApplicationScoped
public class ChatService {
    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    private static final QuietLog FAULTS = new QuietLog(LOG, 10);

    @Inject ChatSettings settings;
    @Inject TokenVerifier tokens;
    @Inject LocalSockets local;
    @Inject RoomMembers members;
    @Inject PresenceStore presence;
    @Inject RateLimiter rateLimiter;
    @Inject MessageWriter writer;
    @Inject HistoryService history;
    @Inject Bus bus;
    @Inject NodeIdentity node;
    @Inject Counters counters;
    @Inject WorkerPools pools;
    @Inject Lifecycle lifecycle;

    private final Clock clock = Clock.systemUTC();

    /** What the current batch of stored messages still has to publish and acknowledge; the writer's reporting thread only. */
    private final List<RoomMessage> batchMessages = new ArrayList<>();
    private final List<Envelope> batchFrames = new ArrayList<>();
    private final List<Runnable> batchAcks = new ArrayList<>();

    @PostConstruct
    void init() {
        bus.onDelivery(this::deliverLocally);
        writer.afterEachBatch(this::publishBatch);
    }

    private void deliverLocally(Envelope envelope) {
        int frames = local.deliver(envelope);
        counters.delivered(frames);
        if (frames > 0 && envelope.acceptedAtMs() > 0) counters.deliveryLatency(clock.millis() - envelope.acceptedAtMs());
    }

    /** One publish (and one confirm round trip) per stored batch; acks follow, so an ack means stored. */
    private void publishBatch() {
        if (batchFrames.isEmpty() && batchAcks.isEmpty()) return;
        try {
            history.remember(batchMessages);     // before the publish: a join that sees a message live finds it there too
        } catch (RuntimeException e) {
            FAULTS.log(Level.WARNING, "recent-history", () -> "recent history not updated (joins read the store meanwhile): " + e);
        }
        try {
            bus.publishConfirmed(List.copyOf(batchFrames));
        } finally {
            batchAcks.forEach(Runnable::run);
            batchMessages.clear();
            batchFrames.clear();
            batchAcks.clear();
        }
    }

    /** A server-side event for the user: a {@code notification} frame on every socket of theirs, on any node. */
    public void notifyUser(UserId user, String event, jakarta.json.JsonObject data) {
        bus.publish(Envelope.toUser(user.value(), ServerFrames.notification(event, data), null));
    }

    /**
     * Registers an authenticated socket and queues its {@code welcome}. Nothing is sent until the
     * caller calls {@link ClientSocket#startSending()}, so the container can finish opening the
     * connection before the client hears of it (see {@code ChatEndpoint}).
     */
    ClientSocket open(String socketId, AuthenticatedUser user, OutboundQueue.Sink sink, SocketCloser closer) {
        var outbound = new OutboundQueue(settings.maxBacklog(), sink,
                () -> closer.close(CloseCodes.TRY_AGAIN_LATER, "slow consumer: outbound backlog over " + settings.maxBacklog()));
        outbound.hold();
        var socket = new ClientSocket(socketId, user, outbound, closer);
        try {
            local.add(socket);
            // Counted and refused in one step with the add, on every node alike, so two nodes cannot
            // both let a user's 21st socket in; a refused socket was never the first, and has no rooms.
            if (presence.connect(user.id(), socketId) > settings.maxSocketsPerUser()) {
                throw new SwitchboardException(ErrorCode.TOO_MANY_SOCKETS, "more than " + settings.maxSocketsPerUser() + " sockets of one user");
            }
            socket.send(ServerFrames.welcome(user.id(), user.name(), node.id(), socketId));
            scheduleExpiry(socket, closer);
            return socket;
        } catch (RuntimeException e) {
            // the caller gets no socket to release: a half-opened one left here would count the user online for good
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
     * Node shutting down: every socket is closed with 1001 so clients reconnect elsewhere, and the
     * node waits (bounded) for the closes to finish before the server stops. On SIGTERM the node has
     * already reported not ready for a while ({@code ops.GracefulStop}); on any other stop it drains here.
     */
    void closeAllOnShutdown(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        lifecycle.drain();
        for (ClientSocket socket : local.all()) socket.disconnect(CloseCodes.GOING_AWAY, "node shutting down");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (local.count() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Applies one text frame. Every failure becomes an {@code error} frame; the socket stays open. */
    void handle(ClientSocket socket, String text, SocketCloser closer) {
        socket.heard();
        String ref = null;
        JsonObject json = null;
        try {
            json = FrameDecoder.parse(text);
            ref = FrameDecoder.ref(json);
            apply(socket, FrameDecoder.decode(json), ref, closer);
        } catch (SwitchboardException e) {
            if (json == null) ref = FrameDecoder.refOfUnparsed(text);
            if (e.code() == ErrorCode.RATE_LIMITED) counters.rateLimited();
            socket.send(ServerFrames.error(e, ref));
        } catch (RuntimeException e) {
            // a fault of ours, not the client's: with its stack, but not once per frame of a flood
            FAULTS.log(Level.WARNING, "frame-failed", () -> "frame from " + socket.user().id() + " failed", e);
            socket.send(ServerFrames.error(new SwitchboardException(ErrorCode.INTERNAL, "unexpected server fault"), ref));
        }
    }

    void refuseBinary(ClientSocket socket) {
        socket.heard();
        socket.send(ServerFrames.error(new SwitchboardException(ErrorCode.BAD_REQUEST, "frames are JSON text; binary frames are not accepted"), null));
    }

    private void apply(ClientSocket socket, ClientFrame frame, String ref, SocketCloser closer) {
        if (isControl(frame)) checkControlRate(socket);
        if (frame instanceof ClientFrame.Join f) join(socket, f, ref);
        else if (frame instanceof ClientFrame.Leave f) leave(socket, f.room());
        else if (frame instanceof ClientFrame.Send f) send(socket, f, ref);
        else if (frame instanceof ClientFrame.Direct f) direct(socket, f, ref);
        else if (frame instanceof ClientFrame.Typing f) typing(socket, f);
        else if (frame instanceof ClientFrame.SetStatus f) status(socket, f.status());
        else if (frame instanceof ClientFrame.History f) history(socket, f, ref);
        else if (frame instanceof ClientFrame.Refresh f) refresh(socket, f.token(), closer);
        else if (frame instanceof ClientFrame.Ping) socket.send(ServerFrames.pong());
    }

    private void join(ClientSocket socket, ClientFrame.Join f, String ref) {
        AuthenticatedUser user = socket.user();
        RoomName room = f.room();
        if (!user.mayJoin(room)) throw new SwitchboardException(ErrorCode.FORBIDDEN, "the token does not allow room " + room);
        boolean rejoin = socket.isIn(room);
        // one thread per socket runs its frames, so the count cannot change between check and join
        if (!rejoin && socket.rooms().size() >= settings.maxRooms()) {
            throw new SwitchboardException(ErrorCode.TOO_MANY_ROOMS, "a socket may be in at most " + settings.maxRooms() + " rooms");
        }
        socket.beginJoin(room);
        local.addToRoom(room, socket);
        boolean firstOfUser;
        try {
            firstOfUser = members.join(room, user.id(), socket.id());
        } catch (RuntimeException e) {
            if (!rejoin && socket.leave(room)) local.removeFromRoom(room, socket);    // as before the frame
            throw e;
        }
        if (firstOfUser) {
            bus.publish(Envelope.toRoom(room.value(), ServerFrames.member("member_joined", room, user.id(), user.name()), socket.id()));
        }
        read(socket, ref, () -> {
            var recent = history.onJoin(room, f.since());
            long[] included = recent.messages().stream().mapToLong(RoomMessage::seq).toArray();
            counters.delivered(socket.completeJoin(room, ServerFrames.joined(room, members.members(room), recent), recent.seq(), included));
        }, () -> leave(socket, room));
    }

    private void leave(ClientSocket socket, RoomName room) {
        removeFromRoom(socket, room, false);
        socket.send(ServerFrames.left(room));
    }

    private void removeFromRoom(ClientSocket socket, RoomName room, boolean wentOffline) {
        if (!socket.leave(room)) return;
        UserId user = socket.user().id();
        local.removeFromRoom(room, socket);
        boolean lastInRoom = members.leave(room, user, socket.id());
        if (wentOffline) bus.publish(Envelope.toRoom(room.value(), ServerFrames.presence(room, user, Status.OFFLINE), null));
        if (lastInRoom) bus.publish(Envelope.toRoom(room.value(), ServerFrames.member("member_left", room, user, socket.user().name()), null));
    }

    private void send(ClientSocket socket, ClientFrame.Send f, String ref) {
        if (!socket.isIn(f.room())) throw new SwitchboardException(ErrorCode.NOT_MEMBER, "join room " + f.room() + " before sending to it");
        AuthenticatedUser user = socket.user();
        checkText(f.text());
        checkRate(user.id());
        Instant now = clock.instant();
        var draft = new RoomMessage(writer.newId(now.toEpochMilli()), f.room(), 0, user.id(), user.name(), f.text(), now, node.id());
        writer.submit(draft, new WriteCallback<>() {
            @Override
            public void stored(RoomMessage m) {
                counters.accepted();
                batchMessages.add(m);
                batchFrames.add(Envelope.roomMessage(m.room().value(), ServerFrames.message(m), m.seq(), m.ts().toEpochMilli()));
                batchAcks.add(() -> socket.send(ServerFrames.ack(ref, m.id(), m.seq())));
            }

            @Override
            public void failed(SwitchboardException reason) {
                socket.send(ServerFrames.error(reason, ref));
            }
        });
    }

    private void direct(ClientSocket socket, ClientFrame.Direct f, String ref) {
        AuthenticatedUser user = socket.user();
        checkText(f.text());
        checkRate(user.id());
        Instant now = clock.instant();
        var message = new DirectMessage(writer.newId(now.toEpochMilli()), user.id(), user.name(), f.to(), f.text(), now, node.id());
        writer.submit(message, new WriteCallback<>() {
            @Override
            public void stored(DirectMessage m) {
                counters.accepted();
                String frame = ServerFrames.direct(m);
                long at = m.ts().toEpochMilli();
                if (!m.to().equals(m.from())) batchFrames.add(Envelope.directMessage(m.to().value(), frame, null, at));
                batchFrames.add(Envelope.directMessage(m.from().value(), frame, socket.id(), at));
                batchAcks.add(() -> socket.send(ServerFrames.ack(ref, m.id(), 0)));
            }

            @Override
            public void failed(SwitchboardException reason) {
                socket.send(ServerFrames.error(reason, ref));
            }
        });
    }

    private void typing(ClientSocket socket, ClientFrame.Typing f) {
        if (!socket.isIn(f.room())) throw new SwitchboardException(ErrorCode.NOT_MEMBER, "join room " + f.room() + " before typing in it");
        requireBus();
        bus.publish(Envelope.toRoom(f.room().value(), ServerFrames.typing(f.room(), socket.user().id(), f.active()), socket.id()));
    }

    private void status(ClientSocket socket, Status status) {
        requireBus();
        UserId user = socket.user().id();
        presence.setStatus(user, status);
        for (RoomName room : members.roomsOf(user)) {
            bus.publish(Envelope.toRoom(room.value(), ServerFrames.presence(room, user, status), null));
        }
    }

    private void history(ClientSocket socket, ClientFrame.History f, String ref) {
        AuthenticatedUser user = socket.user();
        if (f.room() != null) {
            if (!user.mayJoin(f.room())) throw new SwitchboardException(ErrorCode.FORBIDDEN, "the token does not allow room " + f.room());
            read(socket, ref, () -> {
                socket.send(ServerFrames.roomHistory(f.room(), history.roomPage(f.room(), f.beforeSeq(), f.limit())));
            }, () -> { });
        } else {
            read(socket, ref, () -> {
                socket.send(ServerFrames.conversationHistory(f.with(), history.conversationPage(user.id(), f.with(), f.beforeId(), f.limit())));
            }, () -> { });
        }
    }

    /**
     * PROTOCOL.md section 4: a refused token closes the socket with 1008, as at the handshake; a
     * token for another user is an error and changes nothing; rooms the new token leaves out are left.
     */
    private void refresh(ClientSocket socket, String token, SocketCloser closer) {
        AuthenticatedUser next;
        try {
            next = tokens.verify(token);
        } catch (InvalidTokenException e) {
            closer.close(CloseCodes.VIOLATED_POLICY, "refresh token refused: " + e.getMessage());
            return;
        }
        if (!next.id().equals(socket.user().id())) throw new SwitchboardException(ErrorCode.FORBIDDEN, "refresh token is for another user");
        socket.user(next);
        scheduleExpiry(socket, closer);
        for (RoomName room : socket.rooms().toArray(RoomName[]::new)) {
            if (!next.mayJoin(room)) {
                removeFromRoom(socket, room, false);
                socket.send(ServerFrames.left(room, "forbidden"));
            }
        }
    }

    /**
     * Cleans up after a socket has closed, for whatever reason. The local part always completes; with
     * Redis down, the cluster's entries of this socket stay until this node is reaped or restarts.
     */
    void closed(ClientSocket socket) {
        socket.close();
        UserId user = socket.user().id();
        local.remove(socket);
        boolean wentOffline = disconnectQuietly(user, socket.id());
        for (RoomName room : socket.rooms().toArray(RoomName[]::new)) {
            try {
                removeFromRoom(socket, room, wentOffline);
            } catch (SwitchboardException e) {
                // unavailable (logged in Redis.call): the local part is done, go on with the next room
            }
        }
    }

    /** @return whether the user went offline; false when the presence store could not be reached (logged there) */
    private boolean disconnectQuietly(UserId user, String socketId) {
        try {
            return presence.disconnect(user, socketId);
        } catch (SwitchboardException e) {
            return false;
        }
    }

    /** Frames whose only effect is to reach other nodes need the bus now: they are not kept for later. */
    private void requireBus() {
        if (!bus.healthy()) throw new SwitchboardException(ErrorCode.UNAVAILABLE, "message routing is unavailable; try again", 1000);
    }

    /** The contract's control frames, limited per socket (PROTOCOL.md section 4). */
    private static boolean isControl(ClientFrame frame) {
        return frame instanceof ClientFrame.Join || frame instanceof ClientFrame.Leave || frame instanceof ClientFrame.Typing
                || frame instanceof ClientFrame.SetStatus || frame instanceof ClientFrame.History;
    }

    private void checkControlRate(ClientSocket socket) {
        long retryAfter = socket.tryControlFrame(TimeUnit.NANOSECONDS.toMillis(System.nanoTime()), settings.controlRate());
        if (retryAfter > 0) {
            throw new SwitchboardException(ErrorCode.RATE_LIMITED,
                    "more than " + settings.controlRate() + " control frames in " + ChatSettings.RATE_WINDOW.toSeconds() + " s", retryAfter);
        }
    }

    private void scheduleExpiry(ClientSocket socket, SocketCloser closer) {
        long delay = millisUntil(socket.user().expiresAt());
        socket.expiry(pools.timers().schedule(() -> closer.close(CloseCodes.VIOLATED_POLICY, "token expired"), delay, TimeUnit.MILLISECONDS));
    }

    /**
     * At least 0 and at most Long.MAX_VALUE (292 million years, past which the timer waits forever):
     * Duration.toMillis threw for an exp of 10^16 s, after the socket was registered.
     */
    private long millisUntil(Instant at) {
        Duration left = Duration.between(clock.instant(), at);
        if (left.isNegative()) return 0;
        return left.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : left.toMillis();
    }

    private void checkText(String text) {
        if (blank(text)) throw new SwitchboardException(ErrorCode.EMPTY_MESSAGE, "text is empty");
        // PostgreSQL cannot store U+0000 in text: refused here, not lost later
        if (text.indexOf('\0') >= 0) throw new SwitchboardException(ErrorCode.BAD_REQUEST, "text must not contain U+0000");
        if (text.length() > settings.maxText() && text.codePointCount(0, text.length()) > settings.maxText()) {
            throw new SwitchboardException(ErrorCode.TOO_LARGE, "text is longer than " + settings.maxText() + " characters");
        }
    }

    /** White space as Unicode counts it: Java's isBlank lets a no-break space (U+00A0, U+2007, U+202F) through. */
    static boolean blank(String text) {
        return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
    }

    private void checkRate(UserId user) {
        long retryAfter = rateLimiter.tryAcquire("chat:" + user.value(), settings.rate(), ChatSettings.RATE_WINDOW);
        if (retryAfter > 0) {
            throw new SwitchboardException(ErrorCode.RATE_LIMITED,
                    "more than " + settings.rate() + " messages in " + ChatSettings.RATE_WINDOW.toSeconds() + " s", retryAfter);
        }
    }

    /** Runs a store read off the socket thread; a failure answers {@code unavailable} and runs {@code undo}. */
    private void read(ClientSocket socket, String ref, Runnable work, Runnable undo) {
        Runnable task = () -> {
            try {
                work.run();
            } catch (SwitchboardException e) {
                undo.run();
                socket.send(ServerFrames.error(e, ref));
            } catch (RuntimeException e) {
                FAULTS.log(Level.WARNING, "history-read", () -> "history read failed: " + e);
                undo.run();
                socket.send(ServerFrames.error(new SwitchboardException(ErrorCode.UNAVAILABLE, "history is unavailable; try again", 1000), ref));
            }
        };
        try {
            pools.reads().execute(task);
        } catch (RejectedExecutionException e) {
            undo.run();
            throw new SwitchboardException(ErrorCode.UNAVAILABLE, "the node is overloaded; try again", 1000);
        }
    }

    /** Sockets open on this node. */
    public int connections() {
        return local.count();
    }
}
