package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final long T0 = 1_795_000_000_000L; // a millisecond in 2026

    private final TimeOrderedIds ids = new TimeOrderedIds();

    @Test
    void ids_are_canonical_uuid_version_7_with_the_rfc_variant() {
        for (int i = 0; i < 1_000; i++) {
            String id = ids.next(T0 + i / 10);
            assertTrue(CANONICAL.matcher(id).matches(), id);
            UUID uuid = UUID.fromString(id);
            assertEquals(7, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertEquals(id, uuid.toString());
        }
    }

    @Test
    void an_id_carries_its_millisecond_in_the_first_48_bits() {
        UUID uuid = UUID.fromString(ids.next(T0));
        assertEquals(T0, uuid.getMostSignificantBits() >>> 16);
    }

    @Test
    void ids_made_in_one_millisecond_increase_strictly_as_strings() {
        // 100 000 in one millisecond is far more than the 12-bit counter holds: the ids must still
        // go up
        String previous = ids.next(T0);
        var seen = new HashSet<String>();
        for (int i = 0; i < 100_000; i++) {
            String next = ids.next(T0);
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            assertTrue(seen.add(next));
            previous = next;
        }
    }

    @Test
    void ids_increase_strictly_across_milliseconds() {
        String previous = ids.next(T0);
        for (int ms = 1; ms <= 2_000; ms++) {
            for (int k = 0; k < 3; k++) {
                String next = ids.next(T0 + ms);
                assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
                previous = next;
            }
        }
    }

    @Test
    void ids_still_increase_when_the_clock_steps_back() {
        String before = ids.next(T0 + 1_000);
        String after = ids.next(T0);
        assertTrue(after.compareTo(before) > 0, before + " then " + after);
    }

    @Test
    void ids_after_a_full_millisecond_of_counter_keep_increasing_into_the_next_milliseconds() {
        String previous = ids.next(T0);
        for (int i = 0; i < 10_000; i++)
            previous = ids.next(T0); // borrowed into later milliseconds
        for (int ms = 1; ms <= 5; ms++) {
            String next = ids.next(T0 + ms);
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            previous = next;
        }
    }
}
