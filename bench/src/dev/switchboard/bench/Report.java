package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The table on stdout and the CPU figures every scenario reports the same way. */
final class Report {
    /** Above this share of one core the load tool, not the server, may be what limits a figure. */
    static final double TOOL_BOUND_PCT = 80;

    private Report() {}

    /**
     * Server and infrastructure CPU per 1,000 units (deliveries, cycles), the tool's own CPU, and
     * the tool-bound label.
     */
    @SuppressWarnings("unchecked")
    static void putCpu(Map<String, Object> result, Map<String, Object> window, long units) {
        double per = units == 0 ? Double.NaN : 1000.0 / units;
        result.put("serverCpuMs", window.get("serverCpuMs"));
        result.put("serverCpuPct", window.get("serverCpuPct"));
        result.put("serverCpuMsPer1000", ((Number) window.get("serverCpuMs")).doubleValue() * per);
        var infra = (Map<String, Object>) window.get("infraCpuMs");
        result.put("infraCpuMs", infra);
        for (var e : infra.entrySet())
            result.put(e.getKey() + "CpuMsPer1000", ((Number) e.getValue()).doubleValue() * per);
        double tool = ((Number) window.get("toolCpuPct")).doubleValue();
        result.put("toolCpuPct", tool);
        result.put("toolBound", tool > TOOL_BOUND_PCT);
    }

    record Column(String key, String header, String format) {}

    static void table(String title, List<Map<String, Object>> rows, List<Column> columns) {
        if (rows.isEmpty()) return;
        System.out.println();
        System.out.println(title);
        var cells = new String[rows.size() + 1][columns.size()];
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            cells[0][c] = columns.get(c).header;
            for (int r = 0; r < rows.size(); r++)
                cells[r + 1][c] = cell(rows.get(r), columns.get(c));
            for (String[] row : cells) width[c] = Math.max(width[c], row[c].length());
        }
        for (String[] row : cells) {
            var line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) line.append("  ");
                line.append(
                        c == 0
                                ? String.format("%-" + width[c] + "s", row[c])
                                : String.format("%" + width[c] + "s", row[c]));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(Map<String, Object> row, Column column) {
        Object v = row.get(column.key);
        if (column.key.equals("toolCpuPct") && v instanceof Number n)
            return String.format("%.0f%%", n.doubleValue())
                    + (Boolean.TRUE.equals(row.get("toolBound")) ? " TOOL-BOUND" : "");
        if (v == null) return "-";
        if (v instanceof Double d && d.isNaN()) return "-";
        if (v instanceof Number n && column.format != null) {
            if (column.format.equals("MB"))
                return n.longValue() < 0 ? "-" : String.format("%.0f", n.doubleValue() / (1 << 20));
            if (column.format.equals("%")) return String.format("%.3f%%", n.doubleValue() * 100);
            return String.format(column.format, n.doubleValue());
        }
        return v.toString();
    }

    static void writeJson(Path file, Object results) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.write(results));
        System.out.println("\nJSON: " + file);
    }

    static final List<Column> FANOUT =
            List.of(
                    new Column("target", "target", null),
                    new Column("rate", "msg/s in", "%.0f"),
                    new Column("sent", "sent", "%.0f"),
                    new Column("delivered", "delivered", "%.0f"),
                    new Column("expected", "expected", "%.0f"),
                    new Column("loss", "loss", "%"),
                    new Column("deliveredLate", "late", "%.0f"),
                    new Column("errors", "errors", "%.0f"),
                    new Column("deliveriesPerSecond", "deliv/s", "%.0f"),
                    new Column("p50Ms", "p50 ms", "%.1f"),
                    new Column("p95Ms", "p95 ms", "%.1f"),
                    new Column("p99Ms", "p99 ms", "%.1f"),
                    new Column("maxMs", "max ms", "%.0f"),
                    new Column("crossNodeP99Ms", "x-node p99", "%.1f"),
                    new Column("serverCpuMsPer1000", "srv ms/1k", "%.1f"),
                    new Column("redisCpuMsPer1000", "redis", "%.1f"),
                    new Column("rabbitmqCpuMsPer1000", "rabbit", "%.1f"),
                    new Column("postgresCpuMsPer1000", "pg", "%.1f"),
                    new Column("serverCpuPct", "srv cpu", "%.0f%%"),
                    new Column("serverHeapBytes", "heap MB", "MB"),
                    new Column("serverRssBytes", "RSS MB", "MB"),
                    new Column("toolSendLagMaxMs", "tool lag ms", "%.0f"),
                    new Column("toolCpuPct", "tool cpu", null));
}
