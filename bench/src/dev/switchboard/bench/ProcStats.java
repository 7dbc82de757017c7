package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU and memory of processes, read from /proc (Linux): utime+stime of /proc/PID/stat and VmRSS of
 * /proc/PID/status. A snapshot keeps CPU per PID, so a process that starts or ends inside the
 * measured window (a PostgreSQL backend) never makes a difference negative.
 */
final class ProcStats {
    /**
     * Clock ticks per second (getconf CLK_TCK, passed by scripts/bench; 100 on every common Linux).
     */
    static final long CLK_TCK = Long.getLong("clk.tck", 100);

    /** Infrastructure processes by the name the kernel gives them (/proc/PID/comm). */
    static final Map<String, List<String>> INFRA = new LinkedHashMap<>();

    static {
        INFRA.put("redis", List.of("redis-server"));
        INFRA.put("rabbitmq", List.of("beam.smp", "erl_child_setup", "epmd"));
        INFRA.put("postgres", List.of("postgres"));
    }

    private ProcStats() {}

    /** utime+stime of one process in ms, or -1 when it is gone. */
    static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state=0 ... utime=11 stime=12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long selfCpuMs() {
        return cpuMs(ProcessHandle.current().pid());
    }

    /** VmRSS in bytes, or -1. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                if (line.startsWith("VmRSS:"))
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    static long rssBytes(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) sum += Math.max(0, rssBytes(pid));
        return sum;
    }

    /** CPU ms per PID of the given processes and of every infrastructure process, at one moment. */
    record Snapshot(
            long nanos, long toolMs, Map<Long, Long> server, Map<String, Map<Long, Long>> infra) {
        static Snapshot take(List<Long> serverPids) {
            var server = new HashMap<Long, Long>();
            for (long pid : serverPids) server.put(pid, Math.max(0, cpuMs(pid)));
            var infra = new LinkedHashMap<String, Map<Long, Long>>();
            for (String group : INFRA.keySet()) infra.put(group, new HashMap<>());
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .forEach(
                                p -> {
                                    try {
                                        String comm = Files.readString(p.resolve("comm")).trim();
                                        for (var group : INFRA.entrySet())
                                            if (group.getValue().contains(comm)) {
                                                long pid =
                                                        Long.parseLong(p.getFileName().toString());
                                                long ms = cpuMs(pid);
                                                if (ms >= 0) infra.get(group.getKey()).put(pid, ms);
                                            }
                                    } catch (IOException | RuntimeException e) {
                                        // the process ended while we looked
                                    }
                                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc", e);
            }
            return new Snapshot(System.nanoTime(), selfCpuMs(), server, infra);
        }

        static long delta(Map<Long, Long> before, Map<Long, Long> after) {
            long sum = 0;
            for (var e : after.entrySet())
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            return sum;
        }

        /** Window figures: wall ms, tool ms, server ms, and ms per infrastructure group. */
        Map<String, Object> until(Snapshot after) {
            var out = new LinkedHashMap<String, Object>();
            double wallMs = (after.nanos - nanos) / 1e6;
            out.put("wallMs", Math.round(wallMs));
            out.put("toolCpuMs", after.toolMs - toolMs);
            out.put("toolCpuPct", 100.0 * (after.toolMs - toolMs) / wallMs);
            out.put("serverCpuMs", delta(server, after.server));
            out.put("serverCpuPct", 100.0 * delta(server, after.server) / wallMs);
            var infraMs = new LinkedHashMap<String, Object>();
            for (String group : infra.keySet())
                infraMs.put(group, delta(infra.get(group), after.infra.get(group)));
            out.put("infraCpuMs", infraMs);
            return out;
        }
    }
}
