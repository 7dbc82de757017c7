package dev.switchboard.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Latency against input rate for each system, drawn with java.awt (headless) into a PNG: p99 as a
 * solid line, p50 dashed, logarithmic latency axis; points from tool-bound steps are drawn hollow.
 */
final class Plot {
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)
    };

    private Plot() {}

    static void latencyAgainstRate(
            Path file, String title, String subtitle, List<Map<String, Object>> rows)
            throws Exception {
        var byTarget = new LinkedHashMap<String, List<Map<String, Object>>>();
        for (var row : rows)
            byTarget.computeIfAbsent((String) row.get("target"), k -> new ArrayList<>()).add(row);
        for (var list : byTarget.values())
            list.sort((a, b) -> Double.compare(num(a, "rate"), num(b, "rate")));
        double maxRate = 1, minMs = 1e9, maxMs = 0;
        for (var row : rows) {
            maxRate = Math.max(maxRate, num(row, "rate"));
            for (String k : List.of("p50Ms", "p99Ms")) {
                double v = num(row, k);
                if (!Double.isNaN(v)) {
                    minMs = Math.min(minMs, Math.max(0.1, v));
                    maxMs = Math.max(maxMs, v);
                }
            }
        }
        if (maxMs == 0) {
            minMs = 1;
            maxMs = 10;
        }
        double logLo = Math.floor(Math.log10(minMs)),
                logHi = Math.max(logLo + 1, Math.ceil(Math.log10(Math.max(maxMs, 100))));
        int w = 960, h = 600, left = 100, right = 30, top = 80, bottom = 60;
        var image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString(subtitle, left, 48);
        g.drawString(
                "hollow point: load tool above "
                        + (int) Report.TOOL_BOUND_PCT
                        + " % of a core (tool-bound)",
                left,
                64);
        int pw = w - left - right, ph = h - top - bottom;
        double xMax = niceCeiling(maxRate * 1.05);
        // grid and axes
        for (double d = logLo; d <= logHi; d++) {
            int y = top + ph - (int) ((d - logLo) / (logHi - logLo) * ph);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.BLACK);
            String label = formatMs(Math.pow(10, d));
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (int i = 0; i <= 5; i++) {
            int x = left + i * pw / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", xMax * i / 5), x - 15, top + ph + 20);
        }
        int y100 = top + ph - (int) ((2 - logLo) / (logHi - logLo) * ph);
        if (y100 >= top && y100 <= top + ph) {
            g.setColor(new Color(0x999999));
            g.setStroke(
                    new BasicStroke(
                            1,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            10,
                            new float[] {2, 4},
                            0));
            g.drawLine(left, y100, left + pw, y100);
            g.drawString("100 ms (find-max limit)", left + pw - 150, y100 - 4);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(left, top, pw, ph);
        g.drawString(
                "messages/s in (each delivered to every socket of its room)",
                left + pw / 2 - 170,
                h - 15);
        g.rotate(-Math.PI / 2);
        g.drawString("latency, ms (log)", -(top + ph / 2 + 50), 20);
        g.rotate(Math.PI / 2);
        int series = 0;
        for (var e : byTarget.entrySet()) {
            Color color = COLORS[series % COLORS.length];
            for (String key : List.of("p99Ms", "p50Ms")) {
                boolean p99 = key.equals("p99Ms");
                g.setColor(color);
                g.setStroke(
                        p99
                                ? new BasicStroke(2.5f)
                                : new BasicStroke(
                                        1.5f,
                                        BasicStroke.CAP_BUTT,
                                        BasicStroke.JOIN_MITER,
                                        10,
                                        new float[] {6, 5},
                                        0));
                int px = -1, py = -1;
                for (var row : e.getValue()) {
                    double v = num(row, key);
                    if (Double.isNaN(v)) continue;
                    int x = left + (int) (num(row, "rate") / xMax * pw);
                    int y =
                            top
                                    + ph
                                    - (int)
                                            ((Math.log10(Math.max(v, Math.pow(10, logLo))) - logLo)
                                                    / (logHi - logLo)
                                                    * ph);
                    if (px >= 0) g.drawLine(px, py, x, y);
                    if (Boolean.TRUE.equals(row.get("toolBound"))) g.drawOval(x - 4, y - 4, 8, 8);
                    else g.fillOval(x - 4, y - 4, 8, 8);
                    px = x;
                    py = y;
                }
            }
            int ly = top + 18 + series * 40;
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(left + 15, ly, left + 45, ly);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey() + " p99", left + 52, ly + 4);
            g.setColor(color);
            g.setStroke(
                    new BasicStroke(
                            1.5f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            10,
                            new float[] {6, 5},
                            0));
            g.drawLine(left + 15, ly + 18, left + 45, ly + 18);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey() + " p50", left + 52, ly + 22);
            series++;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
        System.out.println("plot: " + file);
    }

    private static double num(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    private static String formatMs(double ms) {
        return ms >= 1 ? String.format("%.0f ms", ms) : String.format("%.1f ms", ms);
    }
}
