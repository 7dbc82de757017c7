package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connect, join, disconnect, again, from L loops at once for the given seconds; in every room one
 * observer socket per node counts the presence updates (presence, member_joined, member_left) the
 * churn causes. The peer has no presence, so its observers hear nothing: its figure is the cost of
 * connects and disconnects alone. Each step of a cycle is bounded (15 s connect, 10 s join, 5 s
 * close); only cycles begun and ended inside the measured window (after the warm-up) count.
 */
final class Churn {
    private Churn() {}

    static Map<String, Object> run(Target target, int loops, int rooms, int warmup, int seconds)
            throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
        target.quiesce(60);
        var presence = new AtomicLong();
        Sink observer =
                new Sink() {
                    @Override
                    public void presence(Client client) {
                        presence.incrementAndGet();
                    }
                };
        var observers = new ArrayList<Client>();
        for (int r = 0; r < rooms; r++)
            for (int n = 0; n < target.nodes.size(); n++) {
                Client c =
                        target.connect(n, "churn-" + run + "-o" + r + "-" + n, observer)
                                .get(20, TimeUnit.SECONDS);
                c.join("churn-" + run + "-r" + r).get(10, TimeUnit.SECONDS);
                observers.add(c);
            }
        Thread.sleep(500);
        var cycles = new AtomicLong();
        var errors = new AtomicLong();
        var connectJoin = new Histogram();
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup),
                end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        var threads = new ArrayList<Thread>();
        for (int l = 0; l < loops; l++) {
            int loop = l;
            var t =
                    new Thread(
                            () -> {
                                for (long k = 0; System.nanoTime() < end; k++) {
                                    int node = (int) ((loop + k) % target.nodes.size());
                                    long t0 = System.nanoTime();
                                    Client c = null;
                                    try {
                                        c =
                                                target.connect(
                                                                node,
                                                                "churn-" + run + "-" + loop + "-"
                                                                        + k,
                                                                Sink.NONE)
                                                        .get(15, TimeUnit.SECONDS);
                                        c.join("churn-" + run + "-r" + (int) ((loop + k) % rooms))
                                                .get(10, TimeUnit.SECONDS);
                                        boolean measured = t0 >= measureFrom;
                                        if (measured)
                                            connectJoin.recordNanos(System.nanoTime() - t0);
                                        c.close();
                                        c.closed.get(5, TimeUnit.SECONDS);
                                        if (measured && System.nanoTime() < end)
                                            cycles.incrementAndGet();
                                    } catch (Exception e) {
                                        if (errors.incrementAndGet() <= 3)
                                            System.err.println(
                                                    target.name + ": churn cycle failed: " + e);
                                        if (c != null) c.abort();
                                    }
                                }
                            },
                            "churn-" + l);
            t.start();
            threads.add(t);
        }
        while (System.nanoTime() < measureFrom) Thread.sleep(10);
        long presenceBefore = presence.get();
        var before = ProcStats.Snapshot.take(target.pids);
        while (System.nanoTime() < end) Thread.sleep(10);
        var after = ProcStats.Snapshot.take(target.pids);
        long presenceInWindow = presence.get() - presenceBefore;
        for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(40));
        var window = before.until(after);
        double wall = ((Number) window.get("wallMs")).doubleValue() / 1000;
        var result = new LinkedHashMap<String, Object>();
        result.put("target", target.name);
        result.put("loops", loops);
        result.put("rooms", rooms);
        result.put("seconds", wall);
        result.put("cycles", cycles.get());
        result.put("connectsPerSecond", cycles.get() / wall);
        result.put("disconnectsPerSecond", cycles.get() / wall);
        result.put("presenceUpdates", presenceInWindow);
        result.put("presenceUpdatesPerSecond", presenceInWindow / wall);
        result.put("connectJoinP50Ms", connectJoin.percentileMs(50));
        result.put("connectJoinP99Ms", connectJoin.percentileMs(99));
        result.put("errors", errors.get());
        Report.putCpu(result, window, cycles.get());
        result.put("serverRssBytes", ProcStats.rssBytes(target.pids));
        for (Client c : observers) c.abort();
        return result;
    }

    static final List<Report.Column> COLUMNS =
            List.of(
                    new Report.Column("target", "target", null),
                    new Report.Column("loops", "loops", "%.0f"),
                    new Report.Column("cycles", "cycles", "%.0f"),
                    new Report.Column("connectsPerSecond", "connects/s", "%.0f"),
                    new Report.Column("disconnectsPerSecond", "disconnects/s", "%.0f"),
                    new Report.Column("presenceUpdatesPerSecond", "presence/s", "%.0f"),
                    new Report.Column("connectJoinP50Ms", "connect+join p50", "%.1f"),
                    new Report.Column("connectJoinP99Ms", "p99", "%.1f"),
                    new Report.Column("errors", "errors", "%.0f"),
                    new Report.Column("serverCpuMsPer1000", "srv ms/1k cycles", "%.0f"),
                    new Report.Column("redisCpuMsPer1000", "redis", "%.0f"),
                    new Report.Column("rabbitmqCpuMsPer1000", "rabbit", "%.0f"),
                    new Report.Column("postgresCpuMsPer1000", "pg", "%.0f"),
                    new Report.Column("toolCpuPct", "tool cpu", null));
}
