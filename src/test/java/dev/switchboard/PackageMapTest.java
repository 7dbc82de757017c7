package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/ARCHITECTURE.md, checked: a package uses only what its row allows, so the
 * graph has no cycle and a new dependency is a decision made in that table, not by accident.
 */
class PackageMapTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/switchboard");
    private static final Pattern USE =
            Pattern.compile("^import (?:static )?dev\\.switchboard\\.([a-z]+)\\.");
    private static final Pattern CONTAINER =
            Pattern.compile(
                    "^import (?:static )?(org\\.glassfish\\.|org\\.apache\\.catalina|com\\.sun\\.enterprise|fish\\.payara)|setAccessible\\(");

    private static final Map<String, Set<String>> MAY_USE =
            Map.ofEntries(
                    Map.entry("node", Set.of()),
                    Map.entry("transport", Set.of()),
                    Map.entry("cluster", Set.of("node")),
                    Map.entry("auth", Set.of("cluster")),
                    Map.entry("rooms", Set.of("cluster", "node")),
                    Map.entry("routing", Set.of("cluster", "node")),
                    Map.entry("limits", Set.of("cluster", "node")),
                    Map.entry("presence", Set.of("rooms", "cluster", "node")),
                    Map.entry("history", Set.of("auth", "cluster", "node")),
                    Map.entry(
                            "chat",
                            Set.of(
                                    "auth",
                                    "history",
                                    "limits",
                                    "presence",
                                    "rooms",
                                    "routing",
                                    "transport",
                                    "node")),
                    Map.entry("orders", Set.of("auth", "chat", "limits", "cluster", "node")),
                    Map.entry(
                            "ops",
                            Set.of(
                                    "auth",
                                    "chat",
                                    "cluster",
                                    "history",
                                    "limits",
                                    "node",
                                    "orders",
                                    "presence",
                                    "rooms",
                                    "routing")));

    @Test
    void every_package_uses_only_what_the_map_allows() {
        List<String> offending = new ArrayList<>();
        for (Path dir : packages()) {
            String name = dir.getFileName().toString();
            Set<String> allowed = MAY_USE.get(name);
            if (allowed == null) {
                offending.add(name + ": not in the package map (docs/ARCHITECTURE.md)");
                continue;
            }
            forEachLine(
                    dir,
                    (file, line) -> {
                        Matcher m = USE.matcher(line);
                        if (m.find() && !m.group(1).equals(name) && !allowed.contains(m.group(1)))
                            offending.add(file + ": " + line);
                    });
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void the_root_package_uses_no_feature() {
        List<String> offending = new ArrayList<>();
        forEachLine(
                SOURCES,
                (file, line) -> {
                    if (USE.matcher(line).find()) offending.add(file + ": " + line);
                });
        assertEquals(List.of(), offending);
    }

    @Test
    void only_transport_knows_the_container() {
        List<String> offending = new ArrayList<>();
        for (Path dir : packages()) {
            if (dir.getFileName().toString().equals("transport")) continue;
            forEachLine(
                    dir,
                    (file, line) -> {
                        if (CONTAINER.matcher(line).find()) offending.add(file + ": " + line);
                    });
        }
        assertEquals(List.of(), offending);
    }

    private static List<Path> packages() {
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface LineCheck {
        void check(String file, String line);
    }

    /** The .java files directly in {@code dir}, line by line, trimmed. */
    private static void forEachLine(Path dir, LineCheck check) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                for (String line : Files.readAllLines(f))
                    check.check(dir.getFileName() + "/" + f.getFileName(), line.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
