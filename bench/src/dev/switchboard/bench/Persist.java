package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages stored per second (Switchboard only; the peer stores nothing): C clients, each in a room
 * of its own, keep up to W sends un-acked for the warm-up and then the measured seconds, without a
 * pause between (a new run of connects would send the JIT back to work); "stored" is the growth of
 * the nodes' /stats "persisted" counters less what was acked in the warm-up, after a bounded wait
 * (30 s) for the store to catch up with every message acked.
 */
final class Persist {
    private static final Pattern PERSISTED = Pattern.compile("\"persisted\":(\\d+)");

    private Persist() {}

    static Map<String, Object> run(
            Target target, int clientCount, int warmup, int seconds, int window, String label)
            throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
        var acked = new AtomicLong();
        var errors = new AtomicLong();
        var credits = new ConcurrentHashMap<Client, Semaphore>();
        Sink sink =
                new Sink() {
                    @Override
                    public void ack(Client client) {
                        acked.incrementAndGet();
                        credits.get(client).release();
                    }

                    @Override
                    public void error(Client client, String frame) {
                        if (errors.incrementAndGet() == 1)
                            System.err.println("first error: " + frame);
                        credits.get(client).release();
                    }
                };
        var clients = new ArrayList<Client>();
        for (int c = 0; c < clientCount; c++) {
            Client client =
                    target.connect(c % target.nodes.size(), "persist-" + run + "-" + c, sink)
                            .get(20, TimeUnit.SECONDS);
            credits.put(client, new Semaphore(window));
            client.join("persist-" + run + "-" + c).get(10, TimeUnit.SECONDS);
            clients.add(client);
        }
        long persistedBefore = persisted(target);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup),
                end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        var senders = new ArrayList<Thread>();
        for (int c = 0; c < clientCount; c++) {
            Client client = clients.get(c);
            Semaphore credit = credits.get(client);
            String room = "persist-" + run + "-" + c;
            var sender =
                    new Thread(
                            () -> {
                                try {
                                    for (long n = 0; System.nanoTime() < end; ) {
                                        if (!credit.tryAcquire(100, TimeUnit.MILLISECONDS))
                                            continue;
                                        client.send(
                                                room,
                                                "benchmark message "
                                                        + (n++)
                                                        + " with a little text in it",
                                                Long.toString(n));
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "persist-sender-" + c);
            sender.start();
            senders.add(sender);
        }
        TimeUnit.NANOSECONDS.sleep(warmupEnd - System.nanoTime());
        long ackedInWarmup = acked.get();
        var before = ProcStats.Snapshot.take(target.pids);
        long start = System.nanoTime();
        for (Thread t : senders) t.join(TimeUnit.SECONDS.toMillis(seconds + 15));
        var after = ProcStats.Snapshot.take(target.pids);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long ackedInWindow = acked.get() - ackedInWarmup;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long stored;
        // every acked message gets stored: what was stored beyond the warm-up's acks belongs to the
        // window
        while ((stored = persisted(target) - persistedBefore - ackedInWarmup) < ackedInWindow
                && System.nanoTime() < deadline) Thread.sleep(200);
        double storedElapsed = (System.nanoTime() - start) / 1e9;
        for (Client c : clients) c.abort();
        var result = new LinkedHashMap<String, Object>();
        result.put("target", target.name);
        result.put("label", label);
        result.put("clients", clientCount);
        result.put("window", window);
        result.put("warmupSeconds", warmup);
        result.put("seconds", seconds);
        result.put("acked", ackedInWindow);
        result.put("ackedPerSecond", ackedInWindow / elapsed);
        result.put("stored", stored);
        result.put("storedPerSecond", stored / storedElapsed);
        result.put("storedSeconds", storedElapsed);
        result.put("errors", errors.get());
        Report.putCpu(result, before.until(after), ackedInWindow);
        return result;
    }

    static long persisted(Target target) throws Exception {
        long sum = 0;
        for (String node : target.nodes) {
            String body =
                    Target.http()
                            .send(
                                    HttpRequest.newBuilder(URI.create(node + "/stats"))
                                            .timeout(java.time.Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            Matcher m = PERSISTED.matcher(body);
            if (m.find()) sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    static final List<Report.Column> COLUMNS =
            List.of(
                    new Report.Column("label", "setup", null),
                    new Report.Column("clients", "clients", "%.0f"),
                    new Report.Column("window", "window", "%.0f"),
                    new Report.Column("ackedPerSecond", "acked/s", "%.0f"),
                    new Report.Column("storedPerSecond", "stored/s", "%.0f"),
                    new Report.Column("errors", "errors", "%.0f"),
                    new Report.Column("serverCpuMsPer1000", "srv ms/1k msgs", "%.0f"),
                    new Report.Column("postgresCpuMsPer1000", "pg", "%.0f"),
                    new Report.Column("rabbitmqCpuMsPer1000", "rabbit", "%.0f"),
                    new Report.Column("redisCpuMsPer1000", "redis", "%.0f"),
                    new Report.Column("toolCpuPct", "tool cpu", null));
}
