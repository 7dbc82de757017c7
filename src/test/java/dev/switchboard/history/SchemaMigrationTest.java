package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {
    private final List<String> statements = SchemaMigration.statements("V1__messages.sql");

    @Test
    void v1_splits_into_its_three_create_statements_in_order() {
        assertEquals(3, statements.size(), String.join("\n----\n", statements));
        assertTrue(
                statements.get(0).startsWith("CREATE TABLE IF NOT EXISTS room_message ("),
                statements.get(0));
        assertTrue(
                statements.get(1).startsWith("CREATE TABLE IF NOT EXISTS direct_message ("),
                statements.get(1));
        assertTrue(
                statements
                        .get(2)
                        .startsWith(
                                "CREATE INDEX IF NOT EXISTS direct_message_conversation ON direct_message"),
                statements.get(2));
    }

    @Test
    void statements_carry_no_comments_and_no_terminating_semicolon() {
        for (String sql : statements) {
            assertFalse(sql.contains("--"), sql);
            assertFalse(sql.contains(";"), sql);
            assertEquals(sql.trim(), sql);
        }
    }

    @Test
    void a_comment_inside_a_statement_takes_only_its_own_line() {
        String roomTable = statements.get(0);
        assertTrue(roomTable.contains("node        VARCHAR(128) NOT NULL,"), roomTable);
        assertTrue(
                roomTable.contains("CONSTRAINT room_message_room_seq UNIQUE (room, seq)"),
                roomTable);
        assertTrue(roomTable.endsWith(")"), roomTable);
    }

    @Test
    void each_table_statement_holds_all_its_columns() {
        for (String column :
                List.of("id", "room", "seq", "sender", "sender_name", "body", "ts_ms", "node")) {
            assertTrue(
                    statements.get(0).matches("(?s).*\\n\\s*" + column + "\\s.*"),
                    "room_message." + column);
        }
        for (String column :
                List.of(
                        "id",
                        "conversation",
                        "sender",
                        "sender_name",
                        "recipient",
                        "body",
                        "ts_ms",
                        "node")) {
            assertTrue(
                    statements.get(1).matches("(?s).*\\n\\s*" + column + "\\s.*"),
                    "direct_message." + column);
        }
    }

    @Test
    void a_missing_script_is_an_error_that_names_it() {
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> SchemaMigration.statements("V99__missing.sql"));
        assertTrue(e.getMessage().contains("V99__missing.sql"), e.getMessage());
    }
}
