package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options: {@code --name value} pairs and bare {@code --flag}s; every number is
 * bounded by the caller.
 */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    final String scenario;

    Options(String[] args) {
        scenario = args.length > 0 ? args[0] : "";
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--"))
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) values.put(name, args[++i]);
            else values.put(name, "true");
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    int integer(String name, int fallback, int min, int max) {
        int v = values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        if (v < min || v > max)
            throw new IllegalArgumentException(
                    "--" + name + " must be in " + min + ".." + max + ", is " + v);
        return v;
    }

    double number(String name, double fallback, double min, double max) {
        double v = values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
        if (v < min || v > max)
            throw new IllegalArgumentException(
                    "--" + name + " must be in " + min + ".." + max + ", is " + v);
        return v;
    }

    List<String> list(String name, String fallback) {
        var out = new ArrayList<String>();
        for (String s : get(name, fallback).split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }
}
