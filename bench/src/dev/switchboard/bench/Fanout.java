package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * R rooms of M sockets, socket m of a room on node m % nodes (with 2 nodes half of every room is on
 * the other node), messages sent at a fixed rate, room after room, each by the next member of its
 * room. Every message is expected once at every socket of its room, the sender's included.
 *
 * <p>A message's text carries the step it belongs to, whether it was sent in the measured window,
 * the sender's node and System.nanoTime() at sending, so latency is end to end within this process:
 * {@code m<tag>.<node>.<nanos>.xxxx}. Loss counts, per message sent in the window, the deliveries
 * that did not arrive by the end of the drain (bounded: 10 s).
 */
final class Fanout implements AutoCloseable {
    private static final int MAX_STEPS = 64;

    record Params(int rooms, int perRoom, int textSize) {}

    final Target target;
    final Params params;
    private final String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
    private final Client[][] clients;
    private final int[] members;
    private final String[] roomNames;
    private final String padding;
    // per step: only deliveries of messages sent in that step's window count
    private final AtomicLong[] delivered = new AtomicLong[MAX_STEPS];
    private final Histogram[] latency = new Histogram[MAX_STEPS],
            crossNode = new Histogram[MAX_STEPS];
    private final AtomicLong receivedTotal = new AtomicLong(),
            receivedInWindow = new AtomicLong(),
            acks = new AtomicLong(),
            errors = new AtomicLong(),
            closes = new AtomicLong();
    private volatile long windowStart = Long.MAX_VALUE, windowEnd = Long.MAX_VALUE;
    private int steps, socketsJoined;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Sink sink =
            new Sink() {
                @Override
                public void message(Client client, String text, long now) {
                    receivedTotal.incrementAndGet();
                    if (now >= windowStart && now < windowEnd) receivedInWindow.incrementAndGet();
                    // m<tag>.<node>.<nanos>.
                    int dot = text.indexOf('.');
                    if (text.charAt(0) != 'm' || dot < 0) return;
                    int tag = Integer.parseInt(text, 1, dot, 10);
                    if ((tag & 1) == 0) return; // warm-up
                    int step = tag >> 1;
                    int dot2 = text.indexOf('.', dot + 1), dot3 = text.indexOf('.', dot2 + 1);
                    int senderNode = Integer.parseInt(text, dot + 1, dot2, 10);
                    long sent = Long.parseLong(text, dot2 + 1, dot3, 10);
                    delivered[step].incrementAndGet();
                    latency[step].recordNanos(now - sent);
                    if (senderNode != client.node) crossNode[step].recordNanos(now - sent);
                }

                @Override
                public void ack(Client client) {
                    acks.incrementAndGet();
                }

                @Override
                public void error(Client client, String frame) {
                    if (errors.incrementAndGet() <= 3)
                        System.err.println(target.name + ": error frame: " + frame);
                }

                @Override
                public void closed(Client client, int code) {
                    if (closes.incrementAndGet() <= 3)
                        System.err.println(
                                target.name + ": socket " + client.user + " closed: " + code);
                }
            };

    Fanout(Target target, Params params) throws Exception {
        this.target = target;
        this.params = params;
        clients = new Client[params.rooms][params.perRoom];
        members = new int[params.rooms];
        roomNames = new String[params.rooms];
        padding = "x".repeat(Math.max(1, params.textSize - 32));
        for (int i = 0; i < MAX_STEPS; i++) delivered[i] = new AtomicLong();
        target.quiesce(60);
        long t0 = System.nanoTime();
        var connecting = new ArrayList<CompletableFuture<Client>>();
        for (int r = 0; r < params.rooms; r++) {
            roomNames[r] = "bench-" + run + "-r" + r;
            for (int m = 0; m < params.perRoom; m++) {
                connecting.add(
                        target.connect(
                                m % target.nodes.size(),
                                "bench-" + run + "-r" + r + "-u" + m,
                                sink));
                if (connecting.size() % 200 == 0)
                    CompletableFuture.allOf(
                                    connecting
                                            .subList(connecting.size() - 200, connecting.size())
                                            .toArray(CompletableFuture[]::new))
                            .handle((x, t) -> null)
                            .get(30, TimeUnit.SECONDS);
            }
        }
        var joins = new ArrayList<CompletableFuture<Void>>();
        int failed = 0;
        for (int r = 0; r < params.rooms; r++)
            for (int m = 0; m < params.perRoom; m++) {
                try {
                    Client c = connecting.get(r * params.perRoom + m).get(20, TimeUnit.SECONDS);
                    int room = r, member = m;
                    // only a socket that joined sends: one that did not would be answered
                    // not_member
                    joins.add(
                            c.join(roomNames[r])
                                    .orTimeout(20, TimeUnit.SECONDS)
                                    .whenComplete(
                                            (x, failure) -> {
                                                if (failure != null) {
                                                    c.abort();
                                                    return;
                                                }
                                                synchronized (members) {
                                                    members[room]++;
                                                    clients[room][member] = c;
                                                }
                                            }));
                } catch (Exception e) {
                    if (failed++ < 3)
                        System.err.println(
                                target.name
                                        + ": connect to node "
                                        + (m % target.nodes.size())
                                        + " failed: "
                                        + e);
                }
            }
        for (var j : joins)
            try {
                j.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (failed++ < 3) System.err.println(target.name + ": join failed: " + e);
            }
        int joined = 0;
        for (int n : members) joined += n;
        System.err.printf(
                "%s: %d of %d sockets connected and joined in %.1f s (%d rooms x %d, %d nodes)%n",
                target.name,
                joined,
                params.rooms * params.perRoom,
                (System.nanoTime() - t0) / 1e9,
                params.rooms,
                params.perRoom,
                target.nodes.size());
        socketsJoined = joined;
        // a room with missing sockets still counts right (expected = its joined members); the row
        // says how many joined
        if (joined < params.rooms * params.perRoom / 2)
            throw new IllegalStateException(target.name + ": only " + joined + " sockets joined");
    }

    /**
     * Sends at {@code rate} messages/s for warm-up + measured seconds, drains, and reports the
     * measured window.
     */
    Map<String, Object> step(double rate, int warmupSeconds, int seconds) throws Exception {
        if (steps >= MAX_STEPS)
            throw new IllegalStateException("at most " + MAX_STEPS + " steps per session");
        settle();
        target.quiesce(30);
        int step = steps++;
        latency[step] = new Histogram();
        crossNode[step] = new Histogram();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds),
                end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        windowStart = measureFrom;
        windowEnd = end;
        receivedInWindow.set(0);
        long errorsBefore = errors.get(),
                acksBefore = acks.get(),
                closesBefore = closes.get(),
                droppedBefore = Client.DROPPED.get();
        ProcStats.Snapshot before = null, after;
        long i = 0, sent = 0, expected = 0, lagMax = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) break;
            boolean measured = now >= measureFrom;
            if (measured && before == null) before = ProcStats.Snapshot.take(target.pids);
            // message i is due at i / rate: every message whose time has come, the i-th included
            // (floor + 1)
            long due = (long) ((now - start) * rate / 1e9) + 1;
            String prefix = "m" + (step * 2 + (measured ? 1 : 0)) + ".";
            for (; i < due; i++) {
                int room = (int) (i % params.rooms);
                Client sender = sender(room, (int) ((i / params.rooms) % params.perRoom));
                if (sender == null) continue;
                if (measured) {
                    sent++;
                    expected += members[room];
                }
                // the time it was due, not when the loop got to it: a tool that falls behind shows
                // as latency
                long dueAt = start + (long) (i * 1e9 / rate);
                lagMax = Math.max(lagMax, now - dueAt);
                sender.send(
                        roomNames[room],
                        prefix + sender.node + "." + dueAt + "." + padding,
                        Long.toString(i));
            }
            LockSupport.parkNanos(200_000);
        }
        after = ProcStats.Snapshot.take(target.pids);
        if (before == null) before = after;
        long measuredReceived = receivedInWindow.get();
        // drain: bounded wait for the window's deliveries
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered[step].get() < expected && System.nanoTime() < drainUntil) Thread.sleep(20);
        Thread.sleep(200); // stragglers after the last expected one would be duplicates
        long got = delivered[step].get();
        var window = before.until(after);
        double windowSeconds = ((Number) window.get("wallMs")).doubleValue() / 1000;
        var result = new LinkedHashMap<String, Object>();
        result.put("target", target.name);
        result.put("rate", rate);
        result.put("rooms", params.rooms);
        result.put("perRoom", params.perRoom);
        result.put("nodes", target.nodes.size());
        result.put("socketsJoined", socketsJoined);
        result.put("seconds", windowSeconds);
        result.put("sent", sent);
        result.put("ackedDuringStep", acks.get() - acksBefore); // warm-up and drain included
        result.put("delivered", got);
        result.put("expected", expected);
        result.put("loss", expected == 0 ? 0.0 : Math.max(0, expected - got) / (double) expected);
        result.put("duplicates", Math.max(0, got - expected));
        result.put("deliveriesPerSecond", measuredReceived / windowSeconds);
        Histogram h = latency[step], x = crossNode[step];
        result.put("p50Ms", h.percentileMs(50));
        result.put("p95Ms", h.percentileMs(95));
        result.put("p99Ms", h.percentileMs(99));
        result.put("maxMs", h.maxMs());
        result.put("crossNodeP50Ms", x.percentileMs(50));
        result.put("crossNodeP99Ms", x.percentileMs(99));
        result.put("errors", errors.get() - errorsBefore);
        result.put("closed", closes.get() - closesBefore);
        result.put("toolDropped", Client.DROPPED.get() - droppedBefore);
        // how far the tool's send loop fell behind its schedule: large values mean the tool, not
        // the server, was late
        result.put("toolSendLagMaxMs", lagMax / 1e6);
        Report.putCpu(result, window, measuredReceived);
        result.put("serverRssBytes", ProcStats.rssBytes(target.pids));
        result.put("step", step);
        rows.add(result);
        return result;
    }

    /** The member'th socket of a room, or the next one that joined. */
    private Client sender(int room, int member) {
        for (int k = 0; k < params.perRoom; k++) {
            Client c = clients[room][(member + k) % params.perRoom];
            if (c != null) return c;
        }
        return null;
    }

    /**
     * Waits (at most 30 s) until no delivery arrived for 500 ms, so one step's backlog does not run
     * into the next.
     */
    private void settle() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30), last = -1;
        while (System.nanoTime() < until) {
            long now = receivedTotal.get();
            if (now == last) return;
            last = now;
            Thread.sleep(500);
        }
        System.err.println(
                target.name + ": deliveries still arriving 30 s after the previous step");
    }

    /**
     * Deliveries of each step's window that arrived after its drain: counted as loss in the step,
     * reported here so real loss and lateness can be told apart. Waits for silence first (bounded).
     */
    void putLateDeliveries() throws InterruptedException {
        settle();
        for (var row : rows) {
            int step = (Integer) row.get("step");
            row.put("deliveredLate", delivered[step].get() - (Long) row.get("delivered"));
        }
    }

    /** Heap after a full GC of every server process, with the sockets still connected. */
    void putHeap(Map<String, Object> result) {
        result.put("serverHeapBytes", target.heapUsedAfterGc());
        result.put("serverRssBytes", ProcStats.rssBytes(target.pids));
    }

    @Override
    public void close() {
        for (Client[] room : clients) for (Client c : room) if (c != null) c.abort();
    }
}
