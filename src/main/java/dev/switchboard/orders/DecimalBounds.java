package dev.switchboard.orders;

import java.math.BigDecimal;

/**
 * Whether a decimal has at most so many digits before and after the point, as {@code @Digits}
 * counts them, from its precision and scale alone: {@code 1e-2000000} is a short text whose sum
 * with {@code 1} has two million digits, so no arithmetic may touch a number before this says yes.
 */
final class DecimalBounds {
    private DecimalBounds() {}

    static boolean within(BigDecimal value, int integerDigits, int fractionDigits) {
        if (value == null) return true;
        // trailing zeros cost nothing here: the text was at most
        // OrderRequestReader.MAX_NUMBER_CHARS long
        BigDecimal stripped = value.stripTrailingZeros();
        int fraction = Math.max(0, stripped.scale());
        long integer = (long) stripped.precision() - stripped.scale();
        return fraction <= fractionDigits && integer <= integerDigits;
    }
}
