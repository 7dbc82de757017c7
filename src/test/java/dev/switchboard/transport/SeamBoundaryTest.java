package dev.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seam holds: only transport/ knows the container's classes or uses reflection on them, and it
 * knows nothing of chat/.
 */
class SeamBoundaryTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/switchboard");
    private static final Pattern CONTAINER =
            Pattern.compile(
                    "org\\.glassfish\\.|org\\.apache\\.catalina|com\\.sun\\.enterprise|fish\\.payara|java\\.lang\\.reflect|setAccessible\\(");

    @Test
    void chat_names_no_container_class_and_reflects_on_nothing() throws IOException {
        assertEquals(List.of(), offending(SOURCES.resolve("chat"), CONTAINER));
    }

    @Test
    void transport_does_not_depend_on_chat() throws IOException {
        assertEquals(
                List.of(),
                offending(
                        SOURCES.resolve("transport"), Pattern.compile("dev\\.switchboard\\.chat")));
    }

    private static List<String> offending(Path dir, Pattern forbidden) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(
                            f ->
                                    lines(f).filter(l -> forbidden.matcher(l).find())
                                            .map(l -> f.getFileName() + ": " + l.trim()))
                    .toList();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
