package dev.switchboard.orders;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalBoundsTest {
    private static boolean amount(String value) {
        return DecimalBounds.within(new BigDecimal(value), 15, 4);
    }

    @Test
    void counts_digits_as_digits_does() {
        assertTrue(amount("999999999999999.9999"));
        assertTrue(amount("0.0001"));
        assertTrue(amount("1.50000")); // trailing zeros do not count
        assertTrue(amount("1E+3"));
        assertTrue(amount("0"));
        assertFalse(amount("1000000000000000")); // 16 digits before the point
        assertFalse(amount("0.00001"));
        assertTrue(DecimalBounds.within(new BigDecimal("1000000"), 7, 0));
        assertFalse(DecimalBounds.within(new BigDecimal("1.5"), 7, 0));
    }

    @Test
    void huge_exponents_are_out_without_arithmetic() {
        assertFalse(amount("1e-2000000"));
        assertFalse(amount("1e1000000"));
        assertFalse(amount("-1e2147483647"));
        assertFalse(amount("1e-2147483647"));
    }
}
