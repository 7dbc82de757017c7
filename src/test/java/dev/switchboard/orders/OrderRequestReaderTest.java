package dev.switchboard.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.SwitchboardException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrderRequestReaderTest {
    private static String order(String price, String total) {
        return "{\"userId\":\"u\",\"items\":[{\"sku\":\"a\",\"qty\":1,\"price\":"
                + price
                + "}],\"total\":"
                + total
                + "}";
    }

    private static String refused(String body) {
        return assertThrows(SwitchboardException.class, () -> OrderRequestReader.read(body))
                .detail();
    }

    @Test
    void a_valid_body_reads_every_field() {
        OrderRequest order = OrderRequestReader.read(order("1.25", "1.25"));
        assertEquals("u", order.userId);
        assertEquals(new BigDecimal("1.25"), order.total);
        assertEquals("a", order.items.get(0).sku);
        assertEquals(BigDecimal.ONE, order.items.get(0).qty);
    }

    @Test
    void wrong_types_name_the_field_and_no_class() {
        String detail =
                refused(
                        "{\"userId\":5,\"items\":[{\"sku\":[],\"qty\":\"2\",\"price\":{}},7],\"total\":true}");
        assertEquals(
                "userId: must be a string; items[0].sku: must be a string; items[0].qty: must be a number; "
                        + "items[0].price: must be a number; items[1]: must be an object; total: must be a number",
                detail);
        assertEquals(
                "items: must be an array", refused("{\"userId\":\"u\",\"items\":{},\"total\":1}"));
    }

    @Test
    void missing_fields_are_left_to_bean_validation() {
        OrderRequest order = OrderRequestReader.read("{\"items\":[null],\"total\":null}");
        assertNull(order.userId);
        assertNull(order.total);
        assertNull(order.items.get(0));
    }

    @Test
    void deep_nesting_is_refused_before_building_anything() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertTrue(
                refused(deep).contains("nested deeper than " + OrderRequestReader.MAX_DEPTH),
                refused(deep));
        String deepField = "{\"userId\":\"u\",\"x\":" + "[".repeat(100_000) + "}";
        assertTrue(refused(deepField).contains("nested deeper"));
    }

    @Test
    void a_long_number_is_refused_without_printing_it() {
        String digits = "9".repeat(1200);
        String detail = refused(order(digits, "1"));
        assertTrue(detail.contains("longer than 40 characters"), detail);
        assertFalse(detail.contains("9999"), detail);
    }

    @Test
    void huge_exponents_read_fast_and_stay_out_of_the_sum() {
        assertTimeoutPreemptively(
                Duration.ofSeconds(1),
                () -> {
                    for (String price : new String[] {"1e-2000000", "1e1000000", "-1E+999999999"}) {
                        OrderRequest order = OrderRequestReader.read(order(price, "1"));
                        assertTrue(
                                new TotalIsSumOfItems.Check().isValid(order, null),
                                "left to @Digits: " + price);
                    }
                });
    }

    @Test
    void an_exponent_beyond_what_a_decimal_holds_is_a_bad_request() {
        String detail = refused(order("1e99999999999", "1"));
        assertTrue(detail.startsWith("the body is not a valid order"), detail);
    }

    @Test
    void malformed_json_says_where() {
        assertTrue(
                refused("{\"userId\":\"u\"")
                        .startsWith(
                                "the body is not a valid order: malformed JSON at line 1, column "));
        assertEquals("a JSON order object is required", refused("[1]"));
        assertEquals("a JSON order body is required", refused(" "));
    }

    @Test
    void more_than_100_items_are_refused_at_once() {
        String items = String.join(",", java.util.Collections.nCopies(10_000, "null"));
        assertEquals(
                "items: must hold 1 to 100 items",
                refused("{\"userId\":\"u\",\"items\":[" + items + "],\"total\":1}"));
    }

    @Test
    void many_type_errors_are_listed_up_to_ten_and_counted() {
        String items = String.join(",", java.util.Collections.nCopies(50, "1"));
        String detail = refused("{\"userId\":\"u\",\"items\":[" + items + "],\"total\":1}");
        assertTrue(detail.endsWith("; and 40 more"), detail);
    }
}
