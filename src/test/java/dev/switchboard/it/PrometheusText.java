package dev.switchboard.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a
 * comment, a HELP or TYPE line, or a sample; anything else fails the parse.
 */
final class PrometheusText {
    private static final Pattern SAMPLE =
            Pattern.compile(
                    "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:\\\\.|[^\"\\\\])*\",?)*)\\})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:\\\\.|[^\"\\\\])*)\"");
    private static final Pattern TYPE =
            Pattern.compile(
                    "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");

    record Sample(String name, Map<String, String> labels, double value) {}

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        var parsed = new PrometheusText();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isEmpty()) continue;
            if (line.startsWith("# TYPE ")) {
                Matcher type = TYPE.matcher(line);
                if (!type.matches())
                    throw new AssertionError("line " + lineNumber + ": bad TYPE line: " + line);
                parsed.types.put(type.group(1), type.group(2));
                continue;
            }
            if (line.startsWith("#")) continue;
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches())
                throw new AssertionError("line " + lineNumber + ": not a sample: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) labels.put(label.group(1), label.group(2));
            }
            parsed.samples.add(
                    new Sample(sample.group(1), labels, value(sample.group(3), lineNumber)));
        }
        return parsed;
    }

    private static double value(String text, int lineNumber) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + lineNumber + ": bad value " + text);
                }
            }
        };
    }

    /** The value of the one sample with this name and these labels (others ignored). */
    double value(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(
                        s ->
                                s.name().equals(name)
                                        && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no sample " + name + labels + " in the metrics"));
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
