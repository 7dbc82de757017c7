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
 * The body of {@code POST /api/orders}, bound by JSON-B and checked by Bean Validation. Public
 * fields rather than a record: a record's component constraints would be checked twice (field and
 * accessor) and each violation reported twice.
 */
@TotalIsSumOfItems
public class OrderRequest {
    @NotNull(message = "is required")
    @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 letters, digits, '_' or '-'")
    public String userId;

    @NotNull(message = "is required")
    @Size(min = 1, max = 100, message = "must hold 1 to 100 items")
    public List<@NotNull(message = "must not be null") @Valid OrderItemRequest> items;

    @NotNull(message = "is required")
    @DecimalMin(value = "0", message = "must not be negative")
    @Digits(integer = 15, fraction = 4, message = "must have at most 15 digits before the point and 4 after")
    public BigDecimal total;

    public static class OrderItemRequest {
        @NotNull(message = "is required")
        @Pattern(regexp = "\\S.{0,63}", message = "must be 1 to 64 characters, not starting with a space")
        public String sku;

        /** A decimal so that 1.5 is refused rather than rounded down by the binding. */
        @NotNull(message = "is required")
        @DecimalMin(value = "1", message = "must be at least 1")
        @jakarta.validation.constraints.DecimalMax(value = "1000000", message = "must be at most 1000000")
        @Digits(integer = 7, fraction = 0, message = "must be a whole number")
        public BigDecimal qty;

        @NotNull(message = "is required")
        @DecimalMin(value = "0", message = "must not be negative")
        @Digits(integer = 15, fraction = 4, message = "must have at most 15 digits before the point and 4 after")
        public BigDecimal price;
    }
}
