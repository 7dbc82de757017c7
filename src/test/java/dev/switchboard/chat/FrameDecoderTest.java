package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.presence.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {
    private static final RoomName LOBBY = new RoomName("fd-lobby");

    private static ClientFrame decode(String text) {
        return FrameDecoder.decode(FrameDecoder.parse(text));
    }

    private static void assertError(ErrorCode code, String text) {
        var e =
                assertThrows(
                        SwitchboardException.class,
                        () -> {
                            var json = FrameDecoder.parse(text);
                            FrameDecoder.ref(json);
                            FrameDecoder.decode(json);
                        },
                        () -> "accepted " + abbreviated(text));
        assertEquals(code, e.code(), abbreviated(text));
    }

    private static String abbreviated(String text) {
        return text.length() > 120
                ? text.substring(0, 120) + "... (" + text.length() + " chars)"
                : text;
    }

    private static void assertBadRequest(String text) {
        assertError(ErrorCode.BAD_REQUEST, text);
    }

    private static void assertInvalidName(String text) {
        assertError(ErrorCode.INVALID_NAME, text);
    }

    // ---- each client frame type

    @Test
    void join_decodes_to_join_without_since() {
        assertEquals(
                new ClientFrame.Join(LOBBY, null),
                decode("{\"type\":\"join\",\"room\":\"fd-lobby\"}"));
    }

    @Test
    void join_with_since_carries_the_seq() {
        assertEquals(
                new ClientFrame.Join(LOBBY, 42L),
                decode("{\"type\":\"join\",\"room\":\"fd-lobby\",\"since\":42}"));
        assertEquals(
                new ClientFrame.Join(LOBBY, 0L),
                decode("{\"type\":\"join\",\"room\":\"fd-lobby\",\"since\":0}"));
    }

    @Test
    void leave_decodes_to_leave() {
        assertEquals(
                new ClientFrame.Leave(LOBBY), decode("{\"type\":\"leave\",\"room\":\"fd-lobby\"}"));
    }

    @Test
    void send_decodes_to_send_with_its_text() {
        assertEquals(
                new ClientFrame.Send(LOBBY, "hello  there"),
                decode(
                        "{\"type\":\"send\",\"room\":\"fd-lobby\",\"text\":\"hello  there\",\"ref\":\"r1\"}"));
    }

    @Test
    void direct_decodes_to_direct() {
        assertEquals(
                new ClientFrame.Direct(new UserId("fd-bob"), "hi"),
                decode("{\"type\":\"direct\",\"to\":\"fd-bob\",\"text\":\"hi\"}"));
    }

    @Test
    void typing_decodes_to_typing_with_its_flag() {
        assertEquals(
                new ClientFrame.Typing(LOBBY, true),
                decode("{\"type\":\"typing\",\"room\":\"fd-lobby\",\"active\":true}"));
        assertEquals(
                new ClientFrame.Typing(LOBBY, false),
                decode("{\"type\":\"typing\",\"room\":\"fd-lobby\",\"active\":false}"));
    }

    @Test
    void status_decodes_each_settable_value() {
        assertEquals(
                new ClientFrame.SetStatus(Status.ONLINE),
                decode("{\"type\":\"status\",\"status\":\"online\"}"));
        assertEquals(
                new ClientFrame.SetStatus(Status.AWAY),
                decode("{\"type\":\"status\",\"status\":\"away\"}"));
        assertEquals(
                new ClientFrame.SetStatus(Status.BUSY),
                decode("{\"type\":\"status\",\"status\":\"busy\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"offline\"", "\"ONLINE\"", "\"\"", "\"idle\"", "1", "null", "true"})
    void status_values_other_than_online_away_busy_are_bad_request(String value) {
        assertBadRequest("{\"type\":\"status\",\"status\":" + value + "}");
    }

    @Test
    void room_history_defaults_to_50_without_before() {
        assertEquals(
                new ClientFrame.History(LOBBY, null, null, null, 50),
                decode("{\"type\":\"history\",\"room\":\"fd-lobby\"}"));
    }

    @Test
    void room_history_carries_before_seq_and_limit() {
        assertEquals(
                new ClientFrame.History(LOBBY, null, 120L, null, 20),
                decode("{\"type\":\"history\",\"room\":\"fd-lobby\",\"before\":120,\"limit\":20}"));
    }

    @Test
    void conversation_history_carries_before_id() {
        String id = "0190f2a4-8c3e-7d21-8a4b-3c2d1e0f9a8b";
        assertEquals(
                new ClientFrame.History(null, new UserId("fd-bob"), null, id, 50),
                decode("{\"type\":\"history\",\"with\":\"fd-bob\",\"before\":\"" + id + "\"}"));
        assertEquals(
                new ClientFrame.History(null, new UserId("fd-bob"), null, null, 50),
                decode("{\"type\":\"history\",\"with\":\"fd-bob\"}"));
    }

    @Test
    void history_limits_1_and_100_are_accepted() {
        assertEquals(
                1,
                ((ClientFrame.History)
                                decode("{\"type\":\"history\",\"room\":\"fd-lobby\",\"limit\":1}"))
                        .limit());
        assertEquals(
                100,
                ((ClientFrame.History)
                                decode(
                                        "{\"type\":\"history\",\"room\":\"fd-lobby\",\"limit\":100}"))
                        .limit());
    }

    @Test
    void refresh_decodes_to_refresh_with_the_token() {
        assertEquals(
                new ClientFrame.Refresh("a.b.c"),
                decode("{\"type\":\"refresh\",\"token\":\"a.b.c\"}"));
    }

    @Test
    void ping_decodes_to_ping() {
        assertEquals(new ClientFrame.Ping(), decode("{\"type\":\"ping\"}"));
    }

    @Test
    void unknown_fields_are_ignored() {
        assertEquals(
                new ClientFrame.Ping(),
                decode("{\"type\":\"ping\",\"extra\":{\"a\":[1,2]},\"room\":\"not.checked\"}"));
    }

    // ---- ref

    @Test
    void ref_is_read_and_may_be_absent() {
        assertEquals(
                "r-1", FrameDecoder.ref(FrameDecoder.parse("{\"type\":\"ping\",\"ref\":\"r-1\"}")));
        assertNull(FrameDecoder.ref(FrameDecoder.parse("{\"type\":\"ping\"}")));
        assertNull(FrameDecoder.ref(FrameDecoder.parse("{\"type\":\"ping\",\"ref\":null}")));
    }

    @Test
    void a_ref_of_64_characters_is_accepted() {
        String ref = "r".repeat(64);
        assertEquals(
                ref,
                FrameDecoder.ref(
                        FrameDecoder.parse("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}")));
    }

    @Test
    void a_ref_over_64_characters_is_bad_request() {
        assertBadRequest("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}");
    }

    @Test
    void a_ref_that_is_not_a_string_is_bad_request() {
        assertBadRequest("{\"type\":\"ping\",\"ref\":7}");
    }

    // ---- shape errors

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "not json",
                "{",
                "{\"type\":\"ping\"",
                "[]",
                "[{\"type\":\"ping\"}]",
                "\"ping\"",
                "42",
                "null",
                "true"
            })
    void text_that_is_not_a_json_object_is_bad_request(String text) {
        assertBadRequest(text);
    }

    @Test
    void text_after_the_json_object_is_bad_request() {
        // Two frames glued together, or an object followed by garbage, is not JSON: it must not be
        // half-applied.
        assertBadRequest("{\"type\":\"ping\"} trailing");
        assertBadRequest("{\"type\":\"ping\"}{\"type\":\"ping\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"room\":\"fd-lobby\"}",
                "{\"type\":null}",
                "{\"type\":1}",
                "{\"type\":[\"join\"]}"
            })
    void a_missing_or_non_string_type_is_bad_request(String text) {
        assertBadRequest(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "JOIN", "Join", "message", "welcome", "joined"})
    void an_unknown_type_is_bad_request(String type) {
        assertBadRequest("{\"type\":\"" + type + "\",\"room\":\"fd-lobby\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"join\"}",
                "{\"type\":\"join\",\"room\":null}",
                "{\"type\":\"join\",\"room\":5}",
                "{\"type\":\"join\",\"room\":[\"fd-lobby\"]}",
                "{\"type\":\"leave\"}",
                "{\"type\":\"send\",\"room\":\"fd-lobby\"}",
                "{\"type\":\"send\",\"text\":\"hi\"}",
                "{\"type\":\"send\",\"room\":\"fd-lobby\",\"text\":5}",
                "{\"type\":\"direct\",\"text\":\"hi\"}",
                "{\"type\":\"direct\",\"to\":\"fd-bob\"}",
                "{\"type\":\"direct\",\"to\":7,\"text\":\"hi\"}",
                "{\"type\":\"typing\",\"room\":\"fd-lobby\"}",
                "{\"type\":\"typing\",\"room\":\"fd-lobby\",\"active\":\"true\"}",
                "{\"type\":\"typing\",\"room\":\"fd-lobby\",\"active\":1}",
                "{\"type\":\"status\"}",
                "{\"type\":\"refresh\"}",
                "{\"type\":\"refresh\",\"token\":42}"
            })
    void a_missing_or_wrongly_typed_field_is_bad_request(String text) {
        assertBadRequest(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"5\"", "true", "[1]", "9223372036854775808", "1e400"})
    void a_since_that_is_not_a_whole_number_of_at_least_zero_is_bad_request(String since) {
        assertBadRequest("{\"type\":\"join\",\"room\":\"fd-lobby\",\"since\":" + since + "}");
    }

    @Test
    void history_with_both_room_and_with_is_bad_request() {
        assertBadRequest("{\"type\":\"history\",\"room\":\"fd-lobby\",\"with\":\"fd-bob\"}");
    }

    @Test
    void history_with_neither_room_nor_with_is_bad_request() {
        assertBadRequest("{\"type\":\"history\"}");
        assertBadRequest("{\"type\":\"history\",\"room\":null,\"with\":null}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "1000", "2.5", "\"10\""})
    void a_history_limit_outside_1_to_100_is_bad_request(String limit) {
        assertBadRequest("{\"type\":\"history\",\"room\":\"fd-lobby\",\"limit\":" + limit + "}");
        assertBadRequest("{\"type\":\"history\",\"with\":\"fd-bob\",\"limit\":" + limit + "}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "\"12\"", "1.5"})
    void a_room_history_before_that_is_not_a_positive_seq_is_bad_request(String before) {
        assertBadRequest("{\"type\":\"history\",\"room\":\"fd-lobby\",\"before\":" + before + "}");
    }

    @Test
    void a_conversation_history_before_that_is_not_an_id_string_is_bad_request() {
        assertBadRequest("{\"type\":\"history\",\"with\":\"fd-bob\",\"before\":12}");
    }

    // ---- robustness: any input is bad_request, and numbers cost no more than their text

    @ParameterizedTest
    @ValueSource(ints = {1_000, 5_000, 30_000})
    void deep_nesting_is_bad_request(int depth) {
        assertBadRequest("{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        assertBadRequest(
                "{\"type\":\"ping\",\"x\":"
                        + "{\"a\":".repeat(depth)
                        + "1"
                        + "}".repeat(depth)
                        + "}");
        assertBadRequest("[".repeat(depth));
    }

    @Test
    void a_number_of_1200_digits_is_bad_request_wherever_it_is() {
        String huge = "9".repeat(1200);
        assertBadRequest("{\"type\":\"ping\",\"x\":" + huge + "}");
        assertBadRequest("{\"type\":\"join\",\"room\":\"fd-lobby\",\"since\":" + huge + "}");
        assertBadRequest("{\"type\":\"history\",\"room\":\"fd-lobby\",\"limit\":" + huge + "}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e999999999",
                "1E+999999999",
                "-1e999999999",
                "1e-999999999",
                "0.5e999999999",
                "1e2147483648",
                "123456789e999999999"
            })
    void numbers_with_huge_exponents_are_refused_at_once(String number) {
        assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(2),
                () -> {
                    assertBadRequest(
                            "{\"type\":\"join\",\"room\":\"fd-lobby\",\"since\":" + number + "}");
                    assertBadRequest(
                            "{\"type\":\"history\",\"room\":\"fd-lobby\",\"before\":"
                                    + number
                                    + "}");
                    assertBadRequest(
                            "{\"type\":\"history\",\"room\":\"fd-lobby\",\"limit\":"
                                    + number
                                    + "}");
                });
    }

    // ---- names

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "fd.lobby",
                "fd*",
                "fd#1",
                "fd lobby",
                "café",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void a_bad_room_name_is_invalid_name_in_every_frame_that_names_a_room(String room) {
        assertInvalidName("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        assertInvalidName("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
        assertInvalidName("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"hi\"}");
        assertInvalidName("{\"type\":\"typing\",\"room\":\"" + room + "\",\"active\":true}");
        assertInvalidName("{\"type\":\"history\",\"room\":\"" + room + "\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "fd.bob",
                "fd*",
                "#fd",
                "fd bob",
                "böb",
                "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
            })
    void a_bad_user_id_in_to_or_with_is_invalid_name(String user) {
        assertInvalidName("{\"type\":\"direct\",\"to\":\"" + user + "\",\"text\":\"hi\"}");
        assertInvalidName("{\"type\":\"history\",\"with\":\"" + user + "\"}");
    }

    @Test
    void the_ref_of_a_frame_past_the_parsers_limits_is_still_read() {
        String deep = "[".repeat(1500) + "]".repeat(1500);
        String digits = "1".repeat(1200);
        assertEquals(
                "r1",
                FrameDecoder.refOfUnparsed(
                        "{\"type\":\"send\",\"ref\":\"r1\",\"x\":" + deep + "}"));
        assertEquals(
                "r2",
                FrameDecoder.refOfUnparsed(
                        "{\"type\":\"send\",\"text\":" + digits + ",\"ref\":\"r2\"}"));
        assertEquals("r3", FrameDecoder.refOfUnparsed("{\"x\":" + deep + ",\"ref\":\"r3\"}"));
        assertNull(
                FrameDecoder.refOfUnparsed(
                        "{\"x\":[}, \"ref\":\"r5\"}")); // the JSON breaks before the ref
        assertNull(FrameDecoder.refOfUnparsed("{\"x\":{\"ref\":\"nested\"}}"));
        assertNull(FrameDecoder.refOfUnparsed("{\"ref\":" + digits + "}"));
        assertNull(
                FrameDecoder.refOfUnparsed(
                        "{\"ref\":\"" + "r".repeat(FrameDecoder.MAX_REF + 1) + "\"}"));
        assertNull(FrameDecoder.refOfUnparsed("[\"ref\",\"r4\"]"));
    }
}
