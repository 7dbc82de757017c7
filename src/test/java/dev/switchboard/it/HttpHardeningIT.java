package dev.switchboard.it;

import static dev.switchboard.it.Orders.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or careless HTTP client gets from one node (PostgreSQL store): bounded numbers,
 * bodies and nesting, 400s that name the field and no Java class, 413 past 64 KiB, the page's
 * security headers, a /health that shows no dependency's address; and never a stack trace in the
 * node's log for any of it.
 */
class HttpHardeningIT {
    /** A stack frame line as java.util.logging prints one. */
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(");

    private static final int KIB = 1024;

    private final SwitchboardNode node = TestNodes.postgres();
    private int logBefore;

    @BeforeEach
    void markLog() {
        logBefore = node.log().length();
    }

    @AfterEach
    void noStackTraceLogged() {
        String logged = node.log().substring(logBefore);
        assertFalse(
                STACK_FRAME.matcher(logged).find(), "the node logged a stack trace:\n" + logged);
        assertFalse(logged.contains("Exception:") && logged.contains("\tat "), logged);
    }

    private static String order(String user, String price, String total) {
        return "{\"userId\":\""
                + user
                + "\",\"items\":[{\"sku\":\"tea\",\"qty\":1,\"price\":"
                + price
                + "}],\"total\":"
                + total
                + "}";
    }

    private static String detail(HttpResponse<String> response) {
        OrdersIT.assertProblem(response, 400);
        String detail = json(response).getString("detail");
        assertFalse(
                detail.contains("java.")
                        || detail.contains("dev.switchboard")
                        || detail.contains("Exception"),
                detail);
        return detail;
    }

    @Test
    void a_price_with_a_huge_exponent_is_a_small_fast_400() {
        String user = Unique.name("exp");
        String token = TestTokens.token(user);
        for (String price : List.of("1e-2000000", "1e1000000", "1E+999999999")) {
            long start = System.nanoTime();
            HttpResponse<String> response =
                    node.postJson("/api/orders", order(user, price, "1"), token);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2000, price + " took " + millis + " ms");
            assertTrue(
                    response.body().length() < 2 * KIB,
                    price + ": a body of " + response.body().length() + " characters");
            String detail = detail(response);
            assertTrue(detail.startsWith("items[0].price:"), detail);
        }
    }

    @Test
    void a_1200_digit_number_is_a_400_that_does_not_echo_it() {
        String user = Unique.name("digits");
        HttpResponse<String> response =
                node.postJson(
                        "/api/orders", order(user, "9".repeat(1200), "1"), TestTokens.token(user));
        String detail = detail(response);
        assertTrue(detail.contains("number longer than"), detail);
        assertTrue(response.body().length() < 2 * KIB, response.body());
    }

    @Test
    void a_body_nested_1000_deep_is_a_400() {
        String user = Unique.name("deep");
        String deep =
                "{\"userId\":\""
                        + user
                        + "\",\"items\":"
                        + "[".repeat(1000)
                        + "]".repeat(1000)
                        + ",\"total\":1}";
        assertTrue(
                detail(node.postJson("/api/orders", deep, TestTokens.token(user)))
                        .contains("nested deeper"));
    }

    @Test
    void wrong_types_are_400s_naming_the_field() {
        String user = Unique.name("types");
        String token = TestTokens.token(user);
        assertEquals(
                "total: must be a number",
                detail(
                        node.postJson(
                                "/api/orders",
                                "{\"userId\":\""
                                        + user
                                        + "\",\"items\":[{\"sku\":\"tea\",\"qty\":1,\"price\":1}],\"total\":\"lots\"}",
                                token)));
        assertEquals(
                "items[0].qty: must be a number",
                detail(
                        node.postJson(
                                "/api/orders",
                                "{\"userId\":\""
                                        + user
                                        + "\",\"items\":[{\"sku\":\"tea\",\"qty\":[1],\"price\":1}],\"total\":1}",
                                token)));
        assertEquals(
                "userId: must be a string",
                detail(
                        node.postJson(
                                "/api/orders",
                                "{\"userId\":{\"a\":1},\"items\":[{\"sku\":\"tea\",\"qty\":1,\"price\":1}],\"total\":1}",
                                token)));
        assertEquals(
                "items: must be an array",
                detail(
                        node.postJson(
                                "/api/orders",
                                "{\"userId\":\"" + user + "\",\"items\":\"tea\",\"total\":1}",
                                token)));
    }

    @Test
    void query_numbers_out_of_range_are_400s() {
        String user = Unique.name("query");
        String token = TestTokens.token(user);
        for (String path :
                List.of(
                        "/api/orders?limit=99999999999999999999",
                        "/api/orders?limit=-1",
                        "/api/orders?limit=abc",
                        "/api/rooms/"
                                + Unique.name("room")
                                + "/messages?before=99999999999999999999999",
                        "/api/rooms/"
                                + Unique.name("room")
                                + "/messages?limit=99999999999999999999")) {
            OrdersIT.assertProblem(node.get(path, token), 400);
        }
    }

    @Test
    void a_body_over_64_KiB_is_a_413_with_or_without_a_content_length() {
        String user = Unique.name("big");
        String token = TestTokens.token(user);
        byte[] body =
                (order(user, "1", "1") + " ".repeat(70 * KIB)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> declared =
                node.send(
                        HttpRequest.newBuilder(node.uri("/api/orders"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        OrdersIT.assertProblem(declared, 413);
        HttpResponse<String> chunked =
                node.send(
                        HttpRequest.newBuilder(node.uri("/api/orders"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new ByteArrayInputStream(body))));
        OrdersIT.assertProblem(chunked, 413);
        // just under the limit is read and judged as an order
        byte[] fits =
                (order(user, "1", "1") + " ".repeat(60 * KIB)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> ok =
                node.send(
                        HttpRequest.newBuilder(node.uri("/api/orders"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new ByteArrayInputStream(fits))));
        assertEquals(201, ok.statusCode(), ok.body());
    }

    @Test
    void the_page_is_served_with_a_content_security_policy_and_no_framing() {
        for (String path : List.of("/", "/app.js", "/style.css")) {
            HttpResponse<String> page = node.get(path);
            assertEquals(200, page.statusCode(), path);
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            for (String directive :
                    List.of(
                            "script-src 'self'",
                            "style-src 'self'",
                            "frame-ancestors 'none'",
                            "object-src 'none'")) {
                assertTrue(
                        csp.contains(directive), path + ": " + directive + " missing from " + csp);
            }
            assertTrue(csp.matches(".*connect-src 'self' ws://[^ ;]+ wss://[^ ;]+.*"), csp);
            assertEquals(
                    "nosniff",
                    page.headers().firstValue("X-Content-Type-Options").orElse(""),
                    path);
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""), path);
        }
        String html = node.get("/").body();
        assertFalse(
                Pattern.compile("<script(?![^>]*\\bsrc=)|<style|\\son[a-z]+=|style=")
                        .matcher(html)
                        .find(),
                "inline script, style or handler in the page");
        assertEquals(
                "nosniff",
                node.get("/api/orders").headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(
                "nosniff",
                node.get("/stats").headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void health_shows_no_address_of_a_dependency() {
        HttpResponse<String> health = node.get("/health");
        assertEquals(200, health.statusCode(), health.body());
        String host = TestNodes.PG_HOST.replaceFirst(":.*", "");
        String port = TestNodes.PG_HOST.replaceFirst(".*:", "");
        for (String leak : List.of(host, ":" + port, "\"" + port + "\"", "localhost", "jdbc:")) {
            assertFalse(
                    health.body().contains(leak), "/health shows " + leak + ": " + health.body());
        }
        JsonObject database =
                json(health).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                        .filter(c -> c.getString("name").equals("database"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("UP", database.getString("status"));
    }
}
