package dev.switchboard.orders;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /api/orders}, read by {@link OrderRequestReader} and checked by Bean
 * Validation. Public fields rather than a record: a record's component constraints would be checked
 * twice (field and accessor) and each violation reported twice.
 */
@TotalIsSumOfItems
public class OrderRequest {
    static final int AMOUNT_INTEGER_DIGITS = 15;
    static final int AMOUNT_FRACTION_DIGITS = 4;
    static final int QTY_DIGITS = 7;
    static final int MAX_ITEMS = 100;

    @NotNull(message = "is required")
    @Pattern(
            regexp = "[A-Za-z0-9_-]{1,64}",
            message = "must be 1 to 64 letters, digits, '_' or '-'")
    public String userId;

    @NotNull(message = "is required")
    @Size(min = 1, max = MAX_ITEMS, message = "must hold 1 to 100 items")
    public List<@NotNull(message = "must not be null") @Valid OrderItemRequest> items;

    @NotNull(message = "is required")
    @DecimalMin(value = "0", message = "must not be negative")
    @Digits(
            integer = AMOUNT_INTEGER_DIGITS,
            fraction = AMOUNT_FRACTION_DIGITS,
            message = "must have at most 15 digits before the point and 4 after")
    public BigDecimal total;

    public static class OrderItemRequest {
        @NotNull(message = "is required")
        @Pattern(
                regexp = "\\S.{0,63}",
                message = "must be 1 to 64 characters, not starting with a space")
        public String sku;

        /** A decimal so that 1.5 is refused rather than rounded down by the binding. */
        @NotNull(message = "is required")
        @DecimalMin(value = "1", message = "must be at least 1")
        @jakarta.validation.constraints.DecimalMax(
                value = "1000000",
                message = "must be at most 1000000")
        @Digits(integer = QTY_DIGITS, fraction = 0, message = "must be a whole number")
        public BigDecimal qty;

        @NotNull(message = "is required")
        @DecimalMin(value = "0", message = "must not be negative")
        @Digits(
                integer = AMOUNT_INTEGER_DIGITS,
                fraction = AMOUNT_FRACTION_DIGITS,
                message = "must have at most 15 digits before the point and 4 after")
        public BigDecimal price;
    }
}
