package dev.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Switchboard's load tool (issue #7), JDK only. It drives Switchboard (docs/PROTOCOL.md) and the
 * peer (Socket.IO 4 + Redis adapter) through one {@link Target} class, so both systems are measured
 * by the same code in the same run. scripts/bench starts the systems and calls it:
 *
 * <p>java -cp target/bench-classes dev.switchboard.bench.Main fanout --target both \
 * --switchboard-nodes http://127.0.0.1:8191,http://127.0.0.1:8192 --switchboard-pids 11,12
 * --jwt-secret S \ --peer-nodes http://127.0.0.1:3001,http://127.0.0.1:3002 --peer-pids 21,22
 * --rate 1000 --seconds 30
 *
 * <p>Every loop is bounded in time and count, and it talks only to loopback addresses.
 */
public final class Main {
    private static final String USAGE =
            """
            usage: Main <fanout|latency|idle|churn|persist|compare> [options]
              --target switchboard|peer|both     systems to measure (default both, persist: switchboard)
              --switchboard-nodes URL,..  --switchboard-pids PID,..  --jwt-secret S  --switchboard-ready-ms MS
              --peer-nodes URL,..  --peer-pids PID,..  --peer-memory-dir DIR  --peer-ready-ms MS
              fanout:  --rooms 50 --per-room 20 --rate 1000[,2000..] --seconds 30 --warmup 5 --size 64
                       --find-max [--step 1.25 --max-steps 20 --max-rate 100000]
              latency: --rooms 10 --per-room 2 --rate 100 --seconds 30 --warmup 5
              idle:    --sockets 10000[,20000] --hold 10 --node 0 --connect-concurrency 64
              churn:   --loops 20 --rooms 10 --seconds 30 --warmup 5
              persist: --clients 20 --window 100 --warmup 120 --seconds 30 --label text
              compare: --rates 1000,2000 --rooms 50 --per-room 20 --latency-rate 100 --sockets 10000,20000 --hold 10
                       --seconds 30 --warmup 5
              --out FILE.json   --plot FILE.png""";

    public static void main(String[] args) throws Exception {
        var options = new Options(args);
        if (!List.of("fanout", "latency", "idle", "churn", "persist", "compare")
                .contains(options.scenario)) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String stamp =
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
        Path out =
                Path.of(
                        options.get(
                                "out", ".run/bench/" + options.scenario + "-" + stamp + ".json"));
        var results = new LinkedHashMap<String, Object>();
        results.put("scenario", options.scenario);
        results.put("when", Instant.now().toString());
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        results.put("seconds", options.get("seconds", "30"));
        results.put(
                "arguments",
                String.join(" ", args).replaceAll("--jwt-secret \\S+", "--jwt-secret ***"));
        var targets = targets(options);
        switch (options.scenario) {
            case "fanout" -> fanout(options, targets, results, false);
            case "latency" -> fanout(options, targets, results, true);
            case "idle" -> idle(options, targets, results);
            case "churn" -> churn(options, targets, results);
            case "persist" -> persist(options, targets, results);
            case "compare" -> compare(options, targets, results, stamp);
            default -> throw new IllegalStateException();
        }
        results.put("loadAverageAtEnd", Files.readString(Path.of("/proc/loadavg")).trim());
        Report.writeJson(out, results);
        System.exit(0); // the HTTP clients' selector threads are not daemons
    }

    static List<Target> targets(Options o) {
        String which = o.get("target", o.scenario.equals("persist") ? "switchboard" : "both");
        var targets = new ArrayList<Target>();
        if (which.equals("switchboard") || which.equals("both"))
            targets.add(
                    new SwitchboardTarget(
                            o.list(
                                    "switchboard-nodes",
                                    "http://127.0.0.1:8191,http://127.0.0.1:8192"),
                            pids(o, "switchboard-pids"),
                            o.get("jwt-secret", "")));
        if (which.equals("peer") || which.equals("both"))
            targets.add(
                    new PeerTarget(
                            o.list("peer-nodes", "http://127.0.0.1:3001,http://127.0.0.1:3002"),
                            pids(o, "peer-pids"),
                            Path.of(o.get("peer-memory-dir", ".run/bench/peer-memory"))));
        if (targets.isEmpty())
            throw new IllegalArgumentException("--target must be switchboard, peer or both");
        for (Target t : targets)
            if (t.pids.size() != t.nodes.size())
                throw new IllegalArgumentException(
                        t.name + ": one PID per node is needed for the CPU figures");
        return targets;
    }

    private static List<Long> pids(Options o, String name) {
        return o.list(name, "").stream().map(Long::parseLong).toList();
    }

    private static void fanout(
            Options o, List<Target> targets, Map<String, Object> results, boolean latency)
            throws Exception {
        var params =
                new Fanout.Params(
                        o.integer("rooms", latency ? 10 : 50, 1, 10_000),
                        o.integer("per-room", latency ? 2 : 20, 1, 10_000),
                        o.integer("size", 64, 40, 4000));
        int seconds = o.integer("seconds", 30, 1, 3600), warmup = o.integer("warmup", 5, 0, 600);
        boolean findMax = o.flag("find-max");
        var rows = new ArrayList<Map<String, Object>>();
        var sessions = new ArrayList<Fanout>();
        try {
            for (Target t : targets) sessions.add(new Fanout(t, params));
            if (findMax) {
                double step = o.number("step", 1.25, 1.01, 4),
                        maxRate = o.number("max-rate", 100_000, 1, 1e6);
                int maxSteps = o.integer("max-steps", 20, 1, 60);
                var rising = new ArrayList<>(sessions);
                var best = new LinkedHashMap<String, Object>();
                double rate = o.number("rate", 500, 1, 1e6);
                for (int s = 0;
                        s < maxSteps && !rising.isEmpty() && rate <= maxRate;
                        s++, rate *= step) {
                    for (var session : List.copyOf(rising)) {
                        var row = session.step(Math.round(rate), warmup, seconds);
                        progress(row);
                        rows.add(row);
                        double p99 = (Double) row.get("p99Ms"), loss = (Double) row.get("loss");
                        if (Double.isNaN(p99) || p99 > 100 || loss > 0.001) rising.remove(session);
                        else best.put(session.target.name, Math.round(rate));
                    }
                }
                results.put("maxRatePassing", best);
            } else {
                for (String r : o.list("rate", latency ? "100" : "1000"))
                    for (var session : sessions) {
                        var row = session.step(Double.parseDouble(r), warmup, seconds);
                        progress(row);
                        rows.add(row);
                    }
            }
            for (var session : sessions) {
                session.putLateDeliveries();
                for (int i = rows.size() - 1; i >= 0; i--)
                    if (rows.get(i).get("target").equals(session.target.name)) {
                        session.putHeap(rows.get(i));
                        break;
                    }
            }
        } finally {
            sessions.forEach(Fanout::close);
        }
        Report.table(
                (latency ? "latency" : "fanout")
                        + ": "
                        + params.rooms()
                        + " rooms x "
                        + params.perRoom()
                        + ", "
                        + seconds
                        + " s measured after "
                        + warmup
                        + " s warm-up (CPU ms per 1,000 deliveries; heap after the last step)",
                rows,
                Report.FANOUT);
        results.put("steps", rows);
        if (findMax)
            System.out.println(
                    "highest rate with p99 <= 100 ms and loss <= 0.1 %: "
                            + results.get("maxRatePassing"));
        if (o.has("plot") || (rows.size() > targets.size() && !latency))
            Plot.latencyAgainstRate(
                    Path.of(o.get("plot", ".run/bench/fanout-latency.png")),
                    "Fanout: "
                            + params.rooms()
                            + " rooms x "
                            + params.perRoom()
                            + " sockets, "
                            + sessions.get(0).target.nodes.size()
                            + " nodes",
                    subtitle(results),
                    rows);
    }

    private static void progress(Map<String, Object> row) {
        System.err.printf(
                "  %s @ %.0f msg/s: delivered %d/%d, loss %.3f%%, p99 %.1f ms, server %.1f ms/1k deliveries, tool %.0f%%%n",
                row.get("target"),
                row.get("rate"),
                row.get("delivered"),
                row.get("expected"),
                100 * (Double) row.get("loss"),
                row.get("p99Ms"),
                row.get("serverCpuMsPer1000"),
                row.get("toolCpuPct"));
    }

    /**
     * Every idle socket is an open file of this process and of the server's: a count the limit
     * cannot hold would only measure the limit (connects fail, then reading /proc fails).
     */
    private static boolean fitsOpenFileLimit(int sockets) {
        long limit = openFileLimit();
        if (sockets + 1_000 <= limit) return true;
        System.err.printf(
                "idle: skipping %d sockets: a process here may open at most %d files (ulimit -n, hard limit; raising it needs"
                        + " CAP_SYS_RESOURCE), and each socket is one file in the tool and one in the server%n",
                sockets, limit);
        return false;
    }

    private static long openFileLimit() {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files"))
                    return Long.parseLong(line.substring(25).trim().split("\\s+")[0]);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no /proc: assume no limit
        }
        return Long.MAX_VALUE;
    }

    private static void idle(Options o, List<Target> targets, Map<String, Object> results)
            throws Exception {
        var rows = new ArrayList<Map<String, Object>>();
        for (String n : o.list("sockets", "10000"))
            if (fitsOpenFileLimit(bounded(n, 60_000)))
                for (Target t : targets)
                    rows.add(
                            Idle.run(
                                    t,
                                    bounded(n, 60_000),
                                    o.integer("hold", 10, 0, 3600),
                                    o.integer("node", 0, 0, 16),
                                    o.integer("connect-concurrency", 64, 1, 1000)));
        Report.table("idle: sockets on one node, heap after a full GC", rows, Idle.COLUMNS);
        results.put("idle", rows);
    }

    private static void churn(Options o, List<Target> targets, Map<String, Object> results)
            throws Exception {
        var rows = new ArrayList<Map<String, Object>>();
        for (Target t : targets)
            rows.add(
                    Churn.run(
                            t,
                            o.integer("loops", 20, 1, 500),
                            o.integer("rooms", 10, 1, 1000),
                            o.integer("warmup", 5, 0, 600),
                            o.integer("seconds", 30, 1, 3600)));
        Report.table(
                "churn: connect, join, disconnect (CPU ms per 1,000 cycles)", rows, Churn.COLUMNS);
        results.put("churn", rows);
    }

    private static void persist(Options o, List<Target> targets, Map<String, Object> results)
            throws Exception {
        var rows = new ArrayList<Map<String, Object>>();
        for (Target t : targets) {
            if (!(t instanceof SwitchboardTarget))
                throw new IllegalArgumentException(
                        "persist measures Switchboard only: the peer stores nothing");
            rows.add(
                    Persist.run(
                            t,
                            o.integer("clients", 20, 1, 1000),
                            o.integer("warmup", 120, 0, 3600),
                            o.integer("seconds", 30, 1, 3600),
                            o.integer("window", 100, 1, 1000),
                            o.get("label", "")));
        }
        Report.table("persist: messages stored per second", rows, Persist.COLUMNS);
        results.put("persist", rows);
    }

    private static void compare(
            Options o, List<Target> targets, Map<String, Object> results, String stamp)
            throws Exception {
        if (targets.size() != 2) throw new IllegalArgumentException("compare needs --target both");
        int seconds = o.integer("seconds", 30, 1, 3600), warmup = o.integer("warmup", 5, 0, 600);
        var rates = o.list("rates", "1000,2000").stream().map(Double::parseDouble).toList();
        var params =
                new Fanout.Params(
                        o.integer("rooms", 50, 1, 10_000),
                        o.integer("per-room", 20, 1, 10_000),
                        o.integer("size", 64, 40, 4000));
        // fanout: both systems connected at once, steps interleaved so drift in the machine's load
        // hits both alike
        var fanoutRows = new ArrayList<Map<String, Object>>();
        var sessions = new ArrayList<Fanout>();
        try {
            for (Target t : targets) sessions.add(new Fanout(t, params));
            for (double rate : rates)
                for (var s : sessions) {
                    var row = s.step(rate, warmup, seconds);
                    progress(row);
                    fanoutRows.add(row);
                }
            for (var s : sessions) {
                s.putLateDeliveries();
                for (int i = fanoutRows.size() - 1; i >= 0; i--)
                    if (fanoutRows.get(i).get("target").equals(s.target.name)) {
                        s.putHeap(fanoutRows.get(i));
                        break;
                    }
            }
        } finally {
            sessions.forEach(Fanout::close);
        }
        var latencyRows = new ArrayList<Map<String, Object>>();
        var latencySessions = new ArrayList<Fanout>();
        try {
            for (Target t : targets)
                latencySessions.add(new Fanout(t, new Fanout.Params(10, 2, params.textSize())));
            for (var s : latencySessions) {
                var row = s.step(o.number("latency-rate", 100, 1, 100_000), warmup, seconds);
                progress(row);
                latencyRows.add(row);
            }
            for (var s : latencySessions) s.putLateDeliveries();
        } finally {
            latencySessions.forEach(Fanout::close);
        }
        var idleRows = new ArrayList<Map<String, Object>>();
        for (String n : o.list("sockets", "10000,20000"))
            if (fitsOpenFileLimit(bounded(n, 60_000)))
                for (Target t : targets)
                    idleRows.add(
                            Idle.run(
                                    t,
                                    bounded(n, 60_000),
                                    o.integer("hold", 10, 0, 3600),
                                    0,
                                    o.integer("connect-concurrency", 64, 1, 1000)));
        var startup = new LinkedHashMap<String, Object>();
        startup.put(
                "switchboard",
                o.list("switchboard-ready-ms", "").stream().map(Long::parseLong).toList());
        startup.put("peer", o.list("peer-ready-ms", "").stream().map(Long::parseLong).toList());

        Report.table(
                "fanout: "
                        + params.rooms()
                        + " rooms x "
                        + params.perRoom()
                        + ", half of each room on each node, "
                        + seconds
                        + " s measured (CPU ms per 1,000 deliveries; heap after the last step)",
                fanoutRows,
                Report.FANOUT);
        Report.table(
                "latency: 10 rooms x 2 (one socket per node), cross-node",
                latencyRows,
                Report.FANOUT);
        Report.table("idle: sockets on node 0", idleRows, Idle.COLUMNS);
        System.out.println(
                "\nstart to ready (ms, per node): switchboard "
                        + startup.get("switchboard")
                        + ", peer "
                        + startup.get("peer"));

        var ratioRows = new ArrayList<Map<String, Object>>();
        for (int i = 0; i + 1 < fanoutRows.size(); i += 2)
            ratioRows.add(
                    ratios(
                            "fanout "
                                    + Math.round((Double) fanoutRows.get(i).get("rate"))
                                    + " msg/s",
                            fanoutRows.get(i),
                            fanoutRows.get(i + 1)));
        ratioRows.add(
                ratios(
                        "latency " + Math.round((Double) latencyRows.get(0).get("rate")) + " msg/s",
                        latencyRows.get(0),
                        latencyRows.get(1)));
        for (int i = 0; i + 1 < idleRows.size(); i += 2) {
            var sw = idleRows.get(i);
            var peer = idleRows.get(i + 1);
            var idleRatio = new LinkedHashMap<String, Object>();
            idleRatio.put(
                    "figure",
                    "idle "
                            + sw.get("sockets")
                            + " sockets (held: sw "
                            + sw.get("ok")
                            + ", peer "
                            + peer.get("ok")
                            + ")");
            idleRatio.put(
                    "heapPerSocket",
                    ratio(sw.get("heapPerSocketBytes"), peer.get("heapPerSocketBytes")));
            idleRatio.put(
                    "rssPerSocket",
                    ratio(sw.get("rssPerSocketBytes"), peer.get("rssPerSocketBytes")));
            idleRatio.put(
                    "toolCpu",
                    String.format(
                            "%.0f%% / %.0f%%",
                            (Double) sw.get("toolCpuPct"), (Double) peer.get("toolCpuPct")));
            ratioRows.add(idleRatio);
        }
        var startRatio = new LinkedHashMap<String, Object>();
        startRatio.put("figure", "start to ready");
        startRatio.put(
                "startToReady",
                ratio(
                        max((List<?>) startup.get("switchboard")),
                        max((List<?>) startup.get("peer"))));
        ratioRows.add(startRatio);
        Report.table(
                "ratios switchboard / peer (below 1: Switchboard needs less; tool CPU beside each: sw/peer)",
                ratioRows,
                List.of(
                        new Report.Column("figure", "figure", null),
                                new Report.Column(
                                        "serverCpuPer1000", "server CPU/1k deliv", "%.2f"),
                        new Report.Column(
                                        "serverPlusInfraCpuPer1000", "server+infra CPU/1k", "%.2f"),
                                new Report.Column("p99", "p99", "%.2f"),
                        new Report.Column("crossNodeP99", "x-node p99", "%.2f"),
                                new Report.Column("loss", "loss sw / peer", null),
                        new Report.Column("heapPerSocket", "heap/socket", "%.2f"),
                                new Report.Column("rssPerSocket", "RSS/socket", "%.2f"),
                        new Report.Column("startToReady", "start-ready", "%.2f"),
                                new Report.Column("toolCpu", "tool cpu sw/peer", null)));
        results.put("fanout", fanoutRows);
        results.put("latency", latencyRows);
        results.put("idle", idleRows);
        results.put("startToReadyMs", startup);
        results.put("ratios", ratioRows);
        Plot.latencyAgainstRate(
                Path.of(o.get("plot", "docs/bench-latency-vs-rate.png")),
                "Fanout latency against rate: "
                        + params.rooms()
                        + " rooms x "
                        + params.perRoom()
                        + ", 2 nodes each",
                subtitle(results),
                fanoutRows);
    }

    private static String subtitle(Map<String, Object> results) {
        String load = results.get("loadAverageAtStart").toString().split(" ")[0];
        return results.get("when").toString().substring(0, 16)
                + "Z, "
                + results.get("cores")
                + " cores, load average at start "
                + load
                + ", "
                + results.get("seconds")
                + " s per step";
    }

    private static int bounded(String value, int max) {
        int v = Integer.parseInt(value);
        if (v < 1 || v > max)
            throw new IllegalArgumentException("a socket count must be in 1.." + max + ", is " + v);
        return v;
    }

    private static Map<String, Object> ratios(
            String figure, Map<String, Object> sw, Map<String, Object> peer) {
        var r = new LinkedHashMap<String, Object>();
        r.put("figure", figure);
        r.put(
                "serverCpuPer1000",
                ratio(sw.get("serverCpuMsPer1000"), peer.get("serverCpuMsPer1000")));
        r.put("serverPlusInfraCpuPer1000", ratio(withInfra(sw), withInfra(peer)));
        r.put("p99", ratio(sw.get("p99Ms"), peer.get("p99Ms")));
        r.put("crossNodeP99", ratio(sw.get("crossNodeP99Ms"), peer.get("crossNodeP99Ms")));
        r.put(
                "loss",
                String.format(
                        "%.3f%% / %.3f%%",
                        100 * (Double) sw.get("loss"), 100 * (Double) peer.get("loss")));
        r.put(
                "toolCpu",
                String.format(
                                "%.0f%% / %.0f%%",
                                (Double) sw.get("toolCpuPct"), (Double) peer.get("toolCpuPct"))
                        + (Boolean.TRUE.equals(sw.get("toolBound"))
                                        || Boolean.TRUE.equals(peer.get("toolBound"))
                                ? " TOOL-BOUND"
                                : ""));
        return r;
    }

    private static double withInfra(Map<String, Object> row) {
        double sum = ((Number) row.get("serverCpuMsPer1000")).doubleValue();
        for (String g : ProcStats.INFRA.keySet())
            sum += ((Number) row.get(g + "CpuMsPer1000")).doubleValue();
        return sum;
    }

    private static Object max(List<?> values) {
        return values.stream()
                .mapToDouble(v -> ((Number) v).doubleValue())
                .max()
                .orElse(Double.NaN);
    }

    private static double ratio(Object a, Object b) {
        if (!(a instanceof Number x) || !(b instanceof Number y) || y.doubleValue() == 0)
            return Double.NaN;
        return x.doubleValue() / y.doubleValue();
    }
}
