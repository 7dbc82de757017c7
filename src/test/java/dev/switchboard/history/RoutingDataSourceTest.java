package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingDataSourceTest {
    private static final Path WORKING_DIR = Path.of("").toAbsolutePath();

    @Test
    void a_relative_h2_path_is_made_absolute_against_the_working_directory() {
        assertEquals(
                "jdbc:h2:" + WORKING_DIR.resolve("data/switchboard"),
                RoutingDataSource.absoluteH2Path("jdbc:h2:./data/switchboard"));
        assertEquals(
                "jdbc:h2:" + WORKING_DIR.resolve("data/switchboard"),
                RoutingDataSource.absoluteH2Path("jdbc:h2:data/switchboard"));
    }

    @Test
    void a_relative_path_with_dot_dot_is_normalised() {
        assertEquals(
                "jdbc:h2:" + WORKING_DIR.getParent().resolve("shared/db"),
                RoutingDataSource.absoluteH2Path("jdbc:h2:../shared/db"));
    }

    @Test
    void a_relative_file_url_is_made_absolute() {
        String result = RoutingDataSource.absoluteH2Path("jdbc:h2:file:./data/switchboard");
        assertEquals("jdbc:h2:" + WORKING_DIR.resolve("data/switchboard"), result);
    }

    @Test
    void options_after_the_path_are_kept_unchanged() {
        assertEquals(
                "jdbc:h2:"
                        + WORKING_DIR.resolve("data/switchboard")
                        + ";MODE=PostgreSQL;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1",
                RoutingDataSource.absoluteH2Path(
                        "jdbc:h2:./data/switchboard;MODE=PostgreSQL;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1"));
    }

    @Test
    void an_absolute_path_stays_the_same() {
        assertEquals(
                "jdbc:h2:/var/lib/switchboard/db;MODE=PostgreSQL",
                RoutingDataSource.absoluteH2Path(
                        "jdbc:h2:/var/lib/switchboard/db;MODE=PostgreSQL"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:h2:mem:switchboard",
                "jdbc:h2:mem:switchboard;DB_CLOSE_DELAY=-1",
                "jdbc:h2:mem:",
                "jdbc:h2:tcp://db.example:9092/./data/switchboard",
                "jdbc:h2:tcp://localhost/~/test;MODE=PostgreSQL",
                "jdbc:h2:ssl://db.example/./data/switchboard",
                "jdbc:h2:~/switchboard",
                "jdbc:h2:~/data/switchboard;MODE=PostgreSQL"
            })
    void in_memory_server_and_home_urls_are_untouched(String url) {
        assertEquals(url, RoutingDataSource.absoluteH2Path(url));
    }

    @Test
    void a_file_url_in_the_home_directory_stays_in_the_home_directory() {
        // "file:~/x" is H2's documented spelling of "~/x"; it must not become "<working dir>/~/x".
        String result = RoutingDataSource.absoluteH2Path("jdbc:h2:file:~/data/switchboard");
        assertTrue(
                result.equals("jdbc:h2:file:~/data/switchboard")
                        || result.equals("jdbc:h2:~/data/switchboard"),
                result);
    }
}
