package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract's one name rule, ^[A-Za-z0-9_-]{1,64}$, for both value types that carry it. */
class NamesTest {
    private static final String SIXTY_FOUR = "a".repeat(64);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "Z",
                "0",
                "-",
                "_",
                "lobby",
                "Room_42",
                "team-ops",
                "ABCxyz019_-",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void names_of_ascii_letters_digits_underscore_and_dash_up_to_64_are_valid(String name) {
        assertEquals(name, new RoomName(name).value());
        assertEquals(name, new UserId(name).value());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a.b",
                "room*",
                "room#1",
                "a b",
                " lobby",
                "lobby ",
                "a/b",
                "a:b",
                "a+b",
                "café",
                "Ωmega",
                "日本",
                "١٢٣",
                "lobby\n",
                "\tlobby",
                "a\u0000b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void other_names_are_rejected_as_invalid_name(String name) {
        assertInvalid(RoomName::new, name);
        assertInvalid(UserId::new, name);
    }

    @ParameterizedTest
    @NullSource
    void a_null_name_is_rejected_as_invalid_name(String name) {
        assertInvalid(RoomName::new, name);
        assertInvalid(UserId::new, name);
    }

    @Test
    void sixty_four_characters_is_the_limit() {
        assertEquals(64, new RoomName(SIXTY_FOUR).value().length());
        assertInvalid(RoomName::new, SIXTY_FOUR + "a");
        assertInvalid(UserId::new, SIXTY_FOUR + "1");
    }

    @Test
    void every_character_is_judged_as_the_contract_s_pattern_judges_it() {
        var pattern = java.util.regex.Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String name = "a" + c;
            assertEquals(
                    pattern.matcher(name).matches(),
                    Names.valid(name),
                    () -> "character U+" + Integer.toHexString(name.charAt(1)));
        }
    }

    @Test
    void names_are_case_sensitive_values() {
        assertEquals(new RoomName("names-lobby"), new RoomName("names-lobby"));
        assertEquals(
                2, new TreeSet<>(List.of(new UserId("Names-Ann"), new UserId("names-ann"))).size());
    }

    @Test
    void user_ids_sort_by_their_value() {
        var sorted =
                new TreeSet<>(
                        List.of(
                                new UserId("names-c"),
                                new UserId("names-a"),
                                new UserId("names-b")));
        assertEquals(
                List.of(new UserId("names-a"), new UserId("names-b"), new UserId("names-c")),
                List.copyOf(sorted));
    }

    private static void assertInvalid(Function<String, ?> factory, String name) {
        var e =
                assertThrows(
                        SwitchboardException.class,
                        () -> factory.apply(name),
                        () -> "accepted " + name);
        assertEquals(ErrorCode.INVALID_NAME, e.code());
    }
}
