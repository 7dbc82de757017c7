package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    private static final DateTimeFormatter CONTRACT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formats_and_parses_as_the_general_formatter_does_across_the_years() {
        var random = new SplittableRandom(7);
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochMilli(random.nextLong(0, max + 1));
            String text = Timestamps.format(t);
            assertEquals(CONTRACT.format(t), text);
            assertEquals(t, Timestamps.parse(text));
        }
    }

    @Test
    void keeps_exactly_three_fraction_digits_and_drops_finer_ones() {
        assertEquals(
                "2026-11-23T17:35:00.000Z",
                Timestamps.format(Instant.parse("2026-11-23T17:35:00Z")));
        assertEquals(
                "2026-11-23T17:35:00.123Z",
                Timestamps.format(Instant.parse("2026-11-23T17:35:00.123999Z")));
        assertEquals("1970-01-01T00:00:00.000Z", Timestamps.format(Instant.EPOCH));
    }

    @Test
    void other_iso_shapes_still_parse() {
        assertEquals(
                Instant.parse("2026-11-23T17:35:00Z"), Timestamps.parse("2026-11-23T17:35:00Z"));
        assertEquals(
                Instant.parse("2026-11-23T17:35:00.5Z"),
                Timestamps.parse("2026-11-23T17:35:00.5Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-13-23T17:35:00.000Z",
                "2026-02-30T17:35:00.000Z",
                "2026-11-23T24:35:00.000Z",
                "2026-1x-23T17:35:00.000Z",
                "nonsense"
            })
    void a_bad_timestamp_is_refused(String text) {
        assertThrows(DateTimeException.class, () -> Timestamps.parse(text));
    }
}
