package dev.switchboard.bench;

import java.util.List;
import java.util.Map;

/**
 * Writes the tool's results (maps, lists, strings, numbers, booleans) as JSON; NaN becomes null.
 */
final class Json {
    private Json() {}

    static String write(Object value) {
        var out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object v, StringBuilder out, String indent) {
        if (v == null) out.append("null");
        else if (v instanceof Map<?, ?> map) {
            out.append("{");
            String inner = indent + "  ";
            boolean first = true;
            for (var e : map.entrySet()) {
                out.append(first ? "\n" : ",\n").append(inner);
                string(e.getKey().toString(), out);
                out.append(": ");
                write(e.getValue(), out, inner);
                first = false;
            }
            out.append(first ? "}" : "\n" + indent + "}");
        } else if (v instanceof List<?> list) {
            out.append("[");
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n").append(inner);
                write(list.get(i), out, inner);
            }
            out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
        } else if (v instanceof Double d)
            out.append(d.isNaN() || d.isInfinite() ? "null" : String.format("%.3f", d));
        else if (v instanceof Number || v instanceof Boolean) out.append(v);
        else string(v.toString(), out);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
