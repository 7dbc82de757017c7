package dev.switchboard.history;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Applies the versioned SQL files under {@code db/migration} at start, before anything reads or
 * writes messages. The JPA provider never changes the schema. Each version is applied once and
 * recorded in {@code switchboard_schema}; on PostgreSQL an advisory lock keeps nodes that start
 * together from applying the same version twice.
 */
@ApplicationScoped
public class SchemaMigration {
    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());
    private static final List<String> VERSIONS = List.of("V1__messages.sql", "V2__orders.sql");
    private static final long ADVISORY_LOCK_KEY = 0x5357_4254_4348L; // "SWBTCH"

    @Resource(lookup = "java:app/jdbc/switchboard")
    DataSource dataSource;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Startup startup) {
        try (Connection c = dataSource.getConnection()) {
            boolean postgres =
                    c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
            try (Statement s = c.createStatement()) {
                if (postgres) s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
                try {
                    apply(c, s);
                } finally {
                    if (postgres) s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot migrate the message store at switchboard.db.url: " + e.getMessage(), e);
        }
    }

    private void apply(Connection c, Statement s) throws SQLException {
        s.execute(
                "CREATE TABLE IF NOT EXISTS switchboard_schema (version INT NOT NULL PRIMARY KEY,"
                        + " script VARCHAR(200) NOT NULL, applied_ms BIGINT NOT NULL)");
        int current;
        try (var rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM switchboard_schema")) {
            rs.next();
            current = rs.getInt(1);
        }
        for (int i = current; i < VERSIONS.size(); i++) {
            String script = VERSIONS.get(i);
            for (String statement : statements(script)) s.execute(statement);
            try (var insert =
                    c.prepareStatement(
                            "INSERT INTO switchboard_schema (version, script, applied_ms) VALUES (?, ?, ?)")) {
                insert.setInt(1, i + 1);
                insert.setString(2, script);
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
            }
            LOG.info("message store schema migrated to version " + (i + 1) + " (" + script + ")");
        }
    }

    /**
     * Splits a script on semicolons at line ends; the scripts hold no semicolons inside statements.
     */
    static List<String> statements(String script) {
        try (InputStream in =
                SchemaMigration.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null)
                throw new IllegalStateException("migration " + script + " is missing from the WAR");
            String text =
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replaceAll("(?m)^\\s*--.*$", "");
            return List.of(text.split(";\\s*(\\r?\\n|$)")).stream()
                    .map(String::trim)
                    .filter(sql -> !sql.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
    }
}
