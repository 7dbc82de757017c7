package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 4, "Bounded per socket and per user", on a node of its own with small bounds
 * so each case is quick; that the defaults are the contract's is ChatSettingsTest's.
 */
class LimitsIT {
    private static final int MAX_ROOMS = 5;
    private static final int MAX_SOCKETS = 3;
    private static final int CONTROL_RATE = 20;

    private static SwitchboardNode node;

    @BeforeAll
    static void start() {
        node =
                SwitchboardNode.create(
                                "limits-node",
                                Map.of(
                                        "SWITCHBOARD_JWT_SECRET", TestTokens.SECRET,
                                        "SWITCHBOARD_WS_MAX_ROOMS", String.valueOf(MAX_ROOMS),
                                        "SWITCHBOARD_WS_MAX_SOCKETS_PER_USER",
                                                String.valueOf(MAX_SOCKETS),
                                        "SWITCHBOARD_WS_CONTROL_RATE",
                                                String.valueOf(CONTROL_RATE)))
                        .start();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.stop();
    }

    @Test
    void a_join_past_max_rooms_is_too_many_rooms_and_the_socket_keeps_its_rooms() {
        String prefix = Unique.name("lim-room");
        try (var member = WsClient.connect(node, TestTokens.token(Unique.name("roomy")));
                var sender = WsClient.connect(node, TestTokens.token(Unique.name("sender")))) {
            for (int i = 0; i < MAX_ROOMS; i++) member.join(prefix + i);
            member.send(Frames.join(prefix + "x"));
            JsonObject error = member.awaitError("too_many_rooms");
            assertTrue(
                    error.getString("message").contains(String.valueOf(MAX_ROOMS)),
                    error.toString());
            member.join(prefix + "0"); // a room it has again: not one more
            sender.join(prefix + "0");
            sender.join(prefix + (MAX_ROOMS - 1));
            sender.send(Frames.send(prefix + "0", "to the first room", "f1"));
            sender.send(Frames.send(prefix + (MAX_ROOMS - 1), "to the last room", "l1"));
            member.await("message", f -> "to the first room".equals(f.getString("text")));
            member.await("message", f -> "to the last room".equals(f.getString("text")));
            sender.send(Frames.send(prefix + "x", "not joined", "nx"));
            sender.awaitError("not_member");
        }
    }

    @Test
    void a_users_socket_past_max_sockets_is_refused_429_and_admitted_once_one_closes() {
        String user = Unique.name("many");
        String token = TestTokens.token(user);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_SOCKETS; i++) open.add(WsClient.connect(node, token));
            int logBefore = node.log().length();
            // refused before the upgrade: a close right after it raced Payara's own upgrade
            // handling (stack traces in its log)
            assertEquals("429", WsClient.refusal(node.wsUri(token), null));
            for (int i = 0; i < 10; i++)
                assertEquals(null, WsClient.connectOrRefused(node.wsUri(token)), "refusal " + i);
            String logged = node.log().substring(logBefore);
            assertTrue(
                    logged.lines().noneMatch(l -> l.contains("SEVERE") || l.contains("Exception")),
                    "refusals logged:\n" + logged);
            open.forEach(WsClient::assertOpen);
            try (var other = WsClient.connect(node, TestTokens.token(Unique.name("other")))) {
                other.assertOpen(); // the limit is per user
            }
            open.remove(0).close();
            // the server counts the close when it has handled it: try until a socket is let in
            // again
            WsClient admitted =
                    Poll.until(
                            Duration.ofSeconds(10),
                            Duration.ofMillis(100),
                            () -> WsClient.connectOrRefused(node.wsUri(token)),
                            c -> c != null,
                            c ->
                                    "no socket admitted within 10 s of one of "
                                            + MAX_SOCKETS
                                            + " closing");
            open.add(admitted);
            open.forEach(WsClient::assertOpen);
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void
            control_frames_past_the_rate_are_rate_limited_with_retry_after_and_the_socket_stays_usable() {
        String room = Unique.name("lim-rate");
        try (var c = WsClient.connect(node, TestTokens.token(Unique.name("fidget")))) {
            c.join(room); // 1 control frame
            for (int i = 1; i < CONTROL_RATE; i++) c.send(Frames.typing(room, i % 2 == 0));
            c.send(Frames.ping());
            c.await("pong");
            c.expectNone("error", f -> true, Duration.ZERO); // the 20 fitted
            c.send(Frames.status("away")); // the 21st in 10 s
            JsonObject error = c.awaitError("rate_limited");
            long retryAfter = error.getJsonNumber("retryAfterMs").longValue();
            assertTrue(retryAfter > 0 && retryAfter <= 10_000, "retryAfterMs " + retryAfter);
            // still usable: frames outside the control budget go through
            c.send(Frames.send(room, "still here", "s1"));
            c.await("ack", f -> "s1".equals(f.getString("ref", null)));
            c.await("message", f -> "still here".equals(f.getString("text")));
            c.assertOpen();
        }
    }
}
