package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N idle authenticated sockets on one node: heap (after a full GC) and RSS of that node before and
 * after, per socket, then a hold of the given seconds during which no socket may close. Connects
 * run at most {@code concurrency} at a time, each bounded by 15 s; all of them by N/20 s (at least
 * 60 s).
 */
final class Idle {
    private Idle() {}

    static Map<String, Object> run(
            Target target, int sockets, int holdSeconds, int node, int concurrency)
            throws Exception {
        long pid = target.pids.get(node);
        String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
        target.quiesce(60);
        warmUp(target, node, Math.min(500, sockets), run);
        target.quiesce(30);
        long heapBefore = target.heapUsedAfterGc(pid), rssBefore = ProcStats.rssBytes(pid);
        var closes = new AtomicLong();
        Sink sink =
                new Sink() {
                    @Override
                    public void closed(Client client, int code) {
                        if (closes.incrementAndGet() <= 3)
                            System.err.println(target.name + ": idle socket closed: " + code);
                    }
                };
        var clients = new ArrayList<Client>(sockets);
        var beforeConnects = ProcStats.Snapshot.take(List.of(pid));
        var inFlight = new Semaphore(concurrency);
        long t0 = System.nanoTime(),
                deadline = t0 + TimeUnit.SECONDS.toNanos(Math.max(60, sockets / 20));
        var failures = new AtomicLong();
        // a socket whose connect failed is tried again (at most twice), so the memory figures are
        // for N sockets; the failures are reported
        var missing = new ArrayList<Integer>();
        for (int i = 0; i < sockets; i++) missing.add(i);
        for (int attempt = 0;
                attempt < 3 && !missing.isEmpty() && System.nanoTime() < deadline;
                attempt++) {
            var connecting = new ArrayList<CompletableFuture<Client>>(missing.size());
            for (int i : missing) {
                if (System.nanoTime() >= deadline || !inFlight.tryAcquire(30, TimeUnit.SECONDS))
                    break;
                connecting.add(
                        target.connect(node, "idle-" + run + "-" + i, sink)
                                .whenComplete(
                                        (c, t) -> {
                                            inFlight.release();
                                            if (t != null && failures.incrementAndGet() <= 3)
                                                System.err.println(
                                                        target.name
                                                                + ": idle connect failed: "
                                                                + t);
                                        }));
            }
            var stillMissing = new ArrayList<Integer>();
            for (int k = 0; k < missing.size(); k++) {
                try {
                    clients.add(connecting.get(k).get(30, TimeUnit.SECONDS));
                } catch (Exception e) {
                    stillMissing.add(missing.get(k));
                }
            }
            missing = stillMissing;
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        var connectWindow = beforeConnects.until(ProcStats.Snapshot.take(List.of(pid)));
        System.err.printf(
                "%s: %d of %d idle sockets up on node %d in %.1f s%n",
                target.name, clients.size(), sockets, node, connectSeconds);
        Thread.sleep(2000); // let the server finish what a connect leaves behind
        long closesBeforeHold = closes.get();
        var before = ProcStats.Snapshot.take(List.of(pid));
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        var after = ProcStats.Snapshot.take(List.of(pid));
        long heapAfter = target.heapUsedAfterGc(pid), rssAfter = ProcStats.rssBytes(pid);
        long open = clients.stream().filter(c -> !c.closed.isDone()).count();
        var result = new LinkedHashMap<String, Object>();
        result.put("target", target.name);
        result.put("sockets", sockets);
        result.put("connected", clients.size());
        result.put("failed", sockets - clients.size());
        result.put("connectFailuresRetried", failures.get());
        result.put("connectsPerSecond", clients.size() / connectSeconds);
        result.put(
                "connectServerCpuMsPerSocket",
                ((Number) connectWindow.get("serverCpuMs")).doubleValue()
                        / Math.max(1, clients.size()));
        result.put("connectToolCpuPct", connectWindow.get("toolCpuPct"));
        result.put("holdSeconds", holdSeconds);
        result.put("closedDuringHold", closes.get() - closesBeforeHold);
        result.put("openAtEnd", open);
        result.put("heapBeforeBytes", heapBefore);
        result.put("heapAfterBytes", heapAfter);
        result.put(
                "heapPerSocketBytes",
                heapBefore < 0 || heapAfter < 0 || clients.isEmpty()
                        ? Double.NaN
                        : (heapAfter - heapBefore) / (double) clients.size());
        result.put("rssBeforeBytes", rssBefore);
        result.put("rssAfterBytes", rssAfter);
        result.put(
                "rssPerSocketBytes",
                clients.isEmpty() ? Double.NaN : (rssAfter - rssBefore) / (double) clients.size());
        var window = before.until(after);
        result.put("idleServerCpuPct", window.get("serverCpuPct"));
        result.put("toolCpuPct", window.get("toolCpuPct"));
        result.put(
                "toolBound",
                ((Number) window.get("toolCpuPct")).doubleValue() > Report.TOOL_BOUND_PCT);
        result.put("ok", clients.size() == sockets && open == sockets);
        for (Client c : clients) c.abort();
        return result;
    }

    /**
     * Connects and closes some sockets first, so the measured connects do not run on a cold JIT.
     */
    private static void warmUp(Target target, int node, int count, String run) throws Exception {
        var warm = new ArrayList<CompletableFuture<Client>>();
        for (int i = 0; i < count; i++)
            warm.add(target.connect(node, "idle-" + run + "-w" + i, Sink.NONE));
        for (var f : warm)
            try {
                f.get(30, TimeUnit.SECONDS).close();
            } catch (Exception e) {
                /* only a warm-up */
            }
        Thread.sleep(2000);
        for (var f : warm) if (f.isDone() && !f.isCompletedExceptionally()) f.get().abort();
    }

    static final List<Report.Column> COLUMNS =
            List.of(
                    new Report.Column("target", "target", null),
                    new Report.Column("sockets", "sockets", "%.0f"),
                    new Report.Column("connected", "connected", "%.0f"),
                    new Report.Column("openAtEnd", "open at end", "%.0f"),
                    new Report.Column("closedDuringHold", "closed", "%.0f"),
                    new Report.Column("ok", "held", null),
                    new Report.Column("connectsPerSecond", "connects/s", "%.0f"),
                    new Report.Column("connectFailuresRetried", "retried", "%.0f"),
                    new Report.Column("connectServerCpuMsPerSocket", "srv ms/connect", "%.2f"),
                    new Report.Column("heapPerSocketBytes", "heap B/socket", "%.0f"),
                    new Report.Column("rssPerSocketBytes", "RSS B/socket", "%.0f"),
                    new Report.Column("heapAfterBytes", "heap MB", "MB"),
                    new Report.Column("rssAfterBytes", "RSS MB", "MB"),
                    new Report.Column("idleServerCpuPct", "idle srv cpu", "%.1f%%"),
                    new Report.Column("toolCpuPct", "tool cpu", null));
}
