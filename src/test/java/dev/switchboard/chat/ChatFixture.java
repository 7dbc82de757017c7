package dev.switchboard.chat;

import dev.switchboard.JsonCodec;
import dev.switchboard.MutableClock;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.history.InMemoryHistory;
import dev.switchboard.limits.InMemoryRateLimiter;
import dev.switchboard.node.Counters;
import dev.switchboard.node.Lifecycle;
import dev.switchboard.node.NodeIdentity;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.presence.InMemoryPresenceStore;
import dev.switchboard.rooms.InMemoryRoomMembers;
import dev.switchboard.routing.Envelope;
import dev.switchboard.routing.InProcessBus;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Chat wired as a standalone node wires it, without a container: the in-process ports (presence,
 * rooms, bus, rate limiter) and the real writer over an in-memory journal. Sockets record the
 * frames they are sent.
 */
final class ChatFixture implements AutoCloseable {
    final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    final InMemoryRoomMembers members = new InMemoryRoomMembers();
    final MutableClock clock = new MutableClock(Instant.now());
    final ChatSettings settings = new ChatSettings();
    final LocalSockets local = new LocalSockets();
    final CountingBus bus = new CountingBus(local);
    final MessageFanOut fanOut = new MessageFanOut();
    final InMemoryHistory history = new InMemoryHistory(fanOut);
    final SocketRooms rooms = new SocketRooms();
    final MessageIntake intake = new MessageIntake();
    final HistoryReads reads = new HistoryReads();
    final SocketLifecycle lifecycle = new SocketLifecycle();
    final FrameDispatch dispatch = new FrameDispatch();
    final ChatService chat = new ChatService();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    /** The in-process bus, counting the confirmed publishes and running a check at each. */
    static final class CountingBus extends InProcessBus {
        int confirmedPublishes;
        volatile Runnable atConfirmedPublish = () -> {};

        CountingBus(LocalSockets local) {
            super(local);
        }

        @Override
        public boolean publishConfirmed(List<Envelope> envelopes) {
            confirmedPublishes++;
            atConfirmedPublish.run();
            return super.publishConfirmed(envelopes);
        }
    }

    ChatFixture() {
        settings.maxText = 100;
        settings.rate = 1000;
        settings.maxBacklog = 10_000;
        settings.maxRooms = 10;
        settings.maxSocketsPerUser = 5;
        settings.controlRate = 1000;
        Counters counters =
                new Counters() {
                    @Override
                    public void deliveryLatency(long millis) {}
                };
        WorkerPools pools =
                new WorkerPools() {
                    @Override
                    public ExecutorService reads() {
                        return new Inline();
                    }

                    @Override
                    public ScheduledExecutorService timers() {
                        return timers;
                    }
                };
        NodeIdentity node =
                new NodeIdentity() {
                    @Override
                    public String id() {
                        return "chat-test-node";
                    }
                };
        local.bus = bus;
        local.counters = counters;
        fanOut.history = history.history;
        fanOut.bus = bus;
        fanOut.local = local;
        fanOut.counters = counters;
        reads.history = history.history;
        reads.pools = pools;
        rooms.settings = settings;
        rooms.local = local;
        rooms.members = members;
        rooms.presence = presence;
        rooms.history = history.history;
        rooms.reads = reads;
        rooms.bus = bus;
        rooms.counters = counters;
        intake.settings = settings;
        intake.rateLimiter = new InMemoryRateLimiter(clock);
        intake.writer = history.writer;
        intake.node = node;
        lifecycle.settings = settings;
        lifecycle.local = local;
        lifecycle.presence = presence;
        lifecycle.members = members;
        lifecycle.rooms = rooms;
        lifecycle.node = node;
        lifecycle.pools = pools;
        lifecycle.lifecycle = new Lifecycle();
        dispatch.settings = settings;
        dispatch.rooms = rooms;
        dispatch.messages = intake;
        dispatch.reads = reads;
        dispatch.sockets = lifecycle;
        dispatch.counters = counters;
        chat.sockets = lifecycle;
        chat.frames = dispatch;
        chat.local = local;
        chat.bus = bus;
        history.start();
    }

    TestSocket connect(String user, String socketId) {
        var socket = new TestSocket();
        socket.socket =
                chat.open(
                        socketId,
                        new AuthenticatedUser(
                                new UserId(user),
                                user.toUpperCase(),
                                null,
                                Instant.now().plusSeconds(3600)),
                        (frame, done) -> {
                            socket.record(frame);
                            done.completed(null);
                        },
                        socket::closedWith);
        socket.socket.startSending();
        return socket;
    }

    @Override
    public void close() {
        history.stop();
        timers.shutdownNow();
    }

    /**
     * History reads run on the caller's thread, so a test sees {@code joined} before the next line.
     */
    private static final class Inline extends AbstractExecutorService {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** One client's view: the frames its socket was sent, in order. */
    final class TestSocket {
        ClientSocket socket;
        private final List<JsonObject> frames = new ArrayList<>();
        final List<String> closes = new ArrayList<>();

        private synchronized void record(String frame) {
            frames.add(JsonCodec.reader(frame).readObject());
            notifyAll();
        }

        private synchronized void closedWith(int code, String reason) {
            closes.add(code + " " + reason);
        }

        void handle(String frame) {
            chat.handle(socket, frame, this::closedWith);
        }

        synchronized List<JsonObject> frames() {
            return List.copyOf(frames);
        }

        synchronized List<JsonObject> frames(String type) {
            return frames.stream().filter(f -> f.getString("type").equals(type)).toList();
        }

        /** The first frame of the type that matches, waiting up to 5 s for it. */
        synchronized JsonObject await(String type, Predicate<JsonObject> matching)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                for (JsonObject f : frames)
                    if (f.getString("type").equals(type) && matching.test(f)) return f;
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new AssertionError("no " + type + " frame came; got " + frames);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        JsonObject await(String type) throws InterruptedException {
            return await(type, f -> true);
        }

        JsonObject awaitRef(String type, String ref) throws InterruptedException {
            return await(type, f -> ref.equals(f.getString("ref", null)));
        }

        synchronized int indexOf(JsonObject frame) {
            return frames.indexOf(frame);
        }
    }
}
