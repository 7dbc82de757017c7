package dev.switchboard.orders;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/**
 * An order's {@code total} equals the sum of {@code qty × price} over its items, in exact decimals.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = TotalIsSumOfItems.Check.class)
public @interface TotalIsSumOfItems {
    String message() default "must equal the sum of qty × price over the items";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<TotalIsSumOfItems, OrderRequest> {
        @Override
        public boolean isValid(OrderRequest order, ConstraintValidatorContext context) {
            if (order == null || order.total == null || order.items == null)
                return true; // reported by the field constraints
            if (!amount(order.total) || order.items.size() > OrderRequest.MAX_ITEMS) return true;
            for (var item : order.items) {
                if (item == null || item.qty == null || item.price == null) return true;
                if (!amount(item.price)
                        || !DecimalBounds.within(item.qty, OrderRequest.QTY_DIGITS, 0)) return true;
            }
            // every factor is now at most 19 digits, so the sum is small enough to compute and
            // print
            BigDecimal sum = BigDecimal.ZERO;
            for (var item : order.items) sum = sum.add(item.price.multiply(item.qty));
            if (sum.compareTo(order.total) == 0) return true;
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(
                            "must equal the sum of qty × price over the items, "
                                    + sum.toPlainString())
                    .addPropertyNode("total")
                    .addConstraintViolation();
            return false;
        }

        /**
         * Out-of-bounds numbers are the field constraints' to report; summing them could take
         * minutes.
         */
        private static boolean amount(BigDecimal value) {
            return DecimalBounds.within(
                    value, OrderRequest.AMOUNT_INTEGER_DIGITS, OrderRequest.AMOUNT_FRACTION_DIGITS);
        }
    }
}
